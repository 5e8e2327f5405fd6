// POST /actions/{name}: a recruiter pressed an action button on the result card. Teamtailor posts
// the original partner event; the Bearer key names the company, and the partner-result id in the
// body names the order.

#include "http/partner_routes_impl.h"
#include "http/teamtailor_auth.h"
#include "ops/log.h"
#include "teamtailor/webhook.h"

namespace ttb::http {

net::Response run_card_action(const PartnerRouteContext& context, net::Request& request) {
  auto directory = context.tenants->current();
  CallerTenant caller = authenticate_tenant(request, context.main->teamtailor, *directory);
  if (!caller.tenant) {
    return refuse_failed_credential(*context.auth_failures, client_key(request),
                                    "actions: " + caller.error,
                                    net::Response::text(401, caller.error));
  }
  if (auto limited = refuse_if_limited(*context.auth_failures, tenant_key(caller.tenant->id()))) {
    return *limited;
  }

  teamtailor::WebhookParse parsed = teamtailor::parse_webhook(request.body);
  if (!parsed.event) return net::Response::text(400, "Malformed action request: " + parsed.error);
  const std::string& order_id = parsed.event->partner_result_id;
  const std::string& name = request.params["name"];

  orders::RequestResult result;
  if (name == "resend-invitation") {
    result = context.orders->request_resend(caller.tenant->id(), order_id);
  } else if (name == "cancel-order") {
    result = context.orders->request_cancel(caller.tenant->id(), order_id);
  } else {
    return net::Response::text(404, "Unknown action '" + name + "'.");
  }
  ops::log_info("card_action", {{"tenant", caller.tenant->id()},
                                {"order", order_id},
                                {"action", name},
                                {"message", result.message},
                                {"request_id", request.request_id}});
  switch (result.status) {
    case orders::RequestResult::Status::queued:
      return net::Response::text(202, name == "cancel-order" ? "Cancellation requested."
                                                             : "Invitation will be sent again.");
    case orders::RequestResult::Status::not_found:
      return net::Response::text(404, "This result is not known to ttbridge.");
    case orders::RequestResult::Status::not_applicable:
      return net::Response::text(409, result.message);
    case orders::RequestResult::Status::store_error:
      break;
  }
  return net::Response::text(503, "The request could not be stored; try again shortly.");
}

}  // namespace ttb::http
