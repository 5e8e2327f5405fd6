#include "http/teamtailor_auth.h"

#include "teamtailor/provider_key.h"

namespace ttb::http {

ConnectionKeys caller_connection(const net::Request& request,
                                 const config::TeamtailorSettings& teamtailor,
                                 const tenants::TenantDirectory& directory) {
  const std::string authorization = request.header("Authorization").value_or("");
  const std::optional<std::string> claimed = teamtailor::claimed_activation_token(authorization);
  const tenants::Tenant* claimed_tenant =
      claimed ? directory.find_by_activation_token(*claimed) : nullptr;
  // Chosen as TeamtailorSettings::connection chooses, without copying the keys. Loading checked
  // every tenant's connection name against the main config; an unknown one gets the default.
  const std::string_view name =
      claimed_tenant ? claimed_tenant->settings.connection_name() : config::kDefaultConnection;
  if (name != config::kDefaultConnection) {
    for (const config::TeamtailorConnection& c : teamtailor.connections) {
      if (c.name == name) return {c.name, &c.api_key, &c.webhook_secret};
    }
  }
  return {config::kDefaultConnection, &teamtailor.api_key, &teamtailor.webhook_secret};
}

CallerTenant authenticate_tenant(const net::Request& request, const ConnectionKeys& connection,
                                 const tenants::TenantDirectory& directory) {
  const std::string authorization = request.header("Authorization").value_or("");
  teamtailor::ProviderKey key =
      teamtailor::read_provider_key(authorization, connection.api_key->reveal());
  if (!key.ok) return {nullptr, key.error};
  const tenants::Tenant* tenant = directory.find_by_activation_token(key.activation_token);
  if (!tenant || tenant->settings.connection_name() != connection.name) {
    return {nullptr,
            "The External Trigger Token is not known to this ttbridge. Check the token your "
            "ttbridge operator issued for your company and save the activation again."};
  }
  if (!key.from_jwt && !tenant->settings.legacy_provider_key) {
    return {nullptr,
            "This ttbridge accepts only the signed provider key Teamtailor sends once the "
            "activation form is saved. Open the integration's settings in Teamtailor and save "
            "them again."};
  }
  return {tenant, ""};
}

CallerTenant authenticate_tenant(const net::Request& request,
                                 const config::TeamtailorSettings& teamtailor,
                                 const tenants::TenantDirectory& directory) {
  return authenticate_tenant(request, caller_connection(request, teamtailor, directory), directory);
}

}  // namespace ttb::http
