#include "http/teamtailor_auth.h"

#include "teamtailor/provider_key.h"

namespace ttb::http {

CallerTenant authenticate_tenant(const net::Request& request, std::string_view partner_api_key,
                                 const tenants::TenantDirectory& directory) {
  const std::string authorization = request.header("Authorization").value_or("");
  teamtailor::ProviderKey key = teamtailor::read_provider_key(authorization, partner_api_key);
  if (!key.ok) return {nullptr, key.error};
  const tenants::Tenant* tenant = directory.find_by_activation_token(key.activation_token);
  if (!tenant) {
    return {nullptr,
            "The External Trigger Token is not known to this ttbridge. Check the token your "
            "ttbridge operator issued for your company and save the activation again."};
  }
  return {tenant, ""};
}

}  // namespace ttb::http
