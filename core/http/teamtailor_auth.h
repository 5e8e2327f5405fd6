#pragma once
// Who is calling: the Bearer credential Teamtailor sends on every partner route (a JWT signed with
// the partner API key whose claim is a company's activation token, or a legacy raw token) mapped
// to the tenant that owns that token. A tenant is on one Teamtailor connection, and only that
// connection's API key verifies its JWT (docs/configuration.md, "Several Teamtailor connections").

#include <string>
#include <string_view>

#include "config/settings.h"
#include "net/http_types.h"
#include "tenants/tenant_directory.h"

namespace ttb::http {

struct CallerTenant {
  const tenants::Tenant* tenant = nullptr;  // null when not authenticated
  std::string error;                        // why, safe to show a company admin
};

// One Teamtailor connection's name and keys, pointing into the TeamtailorSettings they were
// chosen from (which outlive the request): checking a request copies no key.
struct ConnectionKeys {
  std::string_view name;
  const config::Secret* api_key = nullptr;
  const config::Secret* webhook_secret = nullptr;
};

// The connection whose keys a request must be checked with: that of the tenant the credential
// claims (unverified, so only a choice of key, never a verdict), or the default connection when
// the credential names no tenant.
ConnectionKeys caller_connection(const net::Request& request,
                                 const config::TeamtailorSettings& teamtailor,
                                 const tenants::TenantDirectory& directory);

// Verifies the credential with the key of `connection` (the caller_connection of the request)
// and finds its tenant, which must be on that connection. A legacy (non-JWT) key is refused
// unless the tenant sets legacy_provider_key.
CallerTenant authenticate_tenant(const net::Request& request, const ConnectionKeys& connection,
                                 const tenants::TenantDirectory& directory);
// The same, choosing the connection with caller_connection first.
CallerTenant authenticate_tenant(const net::Request& request,
                                 const config::TeamtailorSettings& teamtailor,
                                 const tenants::TenantDirectory& directory);

}  // namespace ttb::http
