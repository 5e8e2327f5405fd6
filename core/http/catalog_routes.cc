// GET /activation, GET /activation/validate and GET /config: what Teamtailor shows a company
// admin when activating, and a recruiter when picking a test.

#include "http/partner_routes_impl.h"

#include "http/teamtailor_auth.h"
#include "ops/log.h"
#include "teamtailor/forms.h"

namespace ttb::http {

net::Response activation_form(const PartnerRouteContext&, net::Request&) {
  return net::Response::json(200, teamtailor::activation_form());
}

net::Response validate_activation(const PartnerRouteContext& context, net::Request& request) {
  auto directory = context.tenants->current();
  CallerTenant caller = authenticate_tenant(request, context.main->teamtailor, *directory);
  if (!caller.tenant) {
    // Logged in aggregate by the limiter (auth_failures), not once per guess.
    return refuse_failed_credential(
        *context.auth_failures, client_key(request), "activation: " + caller.error,
        net::Response::json(401, teamtailor::validation_errors({caller.error})));
  }
  const std::string tenant = tenant_key(caller.tenant->id());
  if (auto limited = refuse_if_limited(*context.auth_failures, tenant)) return *limited;
  if (auto company = request.query.find("company_id");
      company != request.query.end() && caller.tenant->settings.company_uuid &&
      company->second != *caller.tenant->settings.company_uuid) {
    context.auth_failures->failed(tenant, "activation: another company_id");
    return net::Response::json(
        403, teamtailor::validation_errors(
                 {"This token belongs to another company. Ask your ttbridge operator for the "
                  "token issued to your company."}));
  }
  ops::log_info("activation_valid",
                {{"tenant", caller.tenant->id()}, {"request_id", request.request_id}});
  return net::Response::json(200, R"({"valid":true})");
}

net::Response test_picker(const PartnerRouteContext& context, net::Request& request) {
  auto directory = context.tenants->current();
  CallerTenant caller = authenticate_tenant(request, context.main->teamtailor, *directory);
  // Teamtailor renders whatever /config returns, so failures are a 200 with an error field.
  if (!caller.tenant) {
    return refuse_failed_credential(*context.auth_failures, client_key(request),
                                    "config: " + caller.error,
                                    net::Response::json(200, teamtailor::error_form(caller.error)));
  }
  if (auto limited = refuse_if_limited(*context.auth_failures, tenant_key(caller.tenant->id()))) {
    return *limited;
  }

  std::vector<teamtailor::ProviderTests> groups;
  for (const auto& provider : caller.tenant->providers) {
    if (!provider.instance) continue;  // disabled
    teamtailor::ProviderTests group;
    group.provider = provider.settings.name;
    group.label = provider.instance->plugin_name() == provider.settings.name
                      ? provider.settings.name
                      : provider.settings.name + " (" + provider.instance->plugin_name() + ")";
    // A provider that cannot take orders now offers no test (an order would only wait), and the
    // form says why.
    if (std::string down = provider.instance->unavailable_reason(); !down.empty()) {
      group.stale = true;
      group.warning = std::move(down);
      groups.push_back(std::move(group));
      continue;
    }
    tenants::TestListing listing = context.catalog->get(provider.instance);
    for (const auto& test : listing.tests) {
      group.tests.push_back({test.id, test.name, test.description, test.duration_minutes});
    }
    group.stale = listing.stale || !listing.known;
    if (listing.stale || !listing.known) {
      group.warning = provider.settings.name + " could not be reached; " +
                      (listing.known ? "showing the last known tests." : "no tests to show yet.");
      ops::log_warn("test_list_unavailable", {{"tenant", caller.tenant->id()},
                                              {"provider", provider.settings.name},
                                              {"error", listing.error}});
    }
    groups.push_back(std::move(group));
  }
  return net::Response::json(200, teamtailor::config_form(groups));
}

}  // namespace ttb::http
