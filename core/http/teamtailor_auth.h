#pragma once
// Who is calling: the Bearer credential Teamtailor sends on every partner route (a JWT signed with
// the partner API key whose claim is a company's activation token, or a legacy raw token) mapped
// to the tenant that owns that token.

#include <string>
#include <string_view>

#include "net/http_types.h"
#include "tenants/tenant_directory.h"

namespace ttb::http {

struct CallerTenant {
  const tenants::Tenant* tenant = nullptr;  // null when not authenticated
  std::string error;                        // why, safe to show a company admin
};

CallerTenant authenticate_tenant(const net::Request& request, std::string_view partner_api_key,
                                 const tenants::TenantDirectory& directory);

}  // namespace ttb::http
