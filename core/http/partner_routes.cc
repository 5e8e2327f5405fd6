#include "http/partner_routes.h"

#include "http/partner_routes_impl.h"

namespace ttb::http {

void add_partner_routes(net::Router& router, PartnerRouteContext context) {
  if (!context.auth_failures) {
    AuthFailureLimits limits;
    limits.burst = context.main->server.auth_failure_burst;
    limits.per_minute = context.main->server.auth_failure_per_minute;
    context.auth_failures = std::make_shared<AuthFailureLimiter>(limits);
  }
  auto shared = std::make_shared<const PartnerRouteContext>(std::move(context));
  auto bind = [shared](net::Response (*handler)(const PartnerRouteContext&, net::Request&)) {
    return [shared, handler](net::Request& request) { return handler(*shared, request); };
  };
  router.add("GET", "/activation", bind(activation_form));
  router.add("GET", "/activation/validate", bind(validate_activation));
  router.add("GET", "/config", bind(test_picker));
  router.add_async("POST", "/webhook",
                   [shared](net::Request& request, const net::Respond& respond) {
                     receive_webhook(*shared, request, respond);
                   });
  router.add("POST", "/actions/{name}", bind(run_card_action));
  router.add("POST", "/callbacks/{tenant}/{provider}/{rest...}", bind(receive_vendor_callback));
  router.add("GET", "/reports/{token}", bind(serve_report));
}

}  // namespace ttb::http
