#include "provider.h"

#include "config.h"
#include "mapping.h"

namespace ttb::example {

using nlohmann::json;

ExampleProvider::ExampleProvider(sdk::Host host, std::string_view config_json)
    : Provider(host), api_(host, parse_config(config_json)) {}

void ExampleProvider::list_tests(sdk::Call call) {
  call.ok(tests().dump());
}

void ExampleProvider::create_order(std::string_view request_json, sdk::Call call) {
  json body = invitation_body(request_json);  // throws INVALID for a malformed request
  const std::string order_id = body["reference"].get<std::string>();
  api_.create_invitation(body, std::move(call),
                         [order_id](const json& vendor_order, const sdk::Call& c) {
                           c.ok(order_update(vendor_order, order_id).dump());
                         });
}

void ExampleProvider::handle_callback(const sdk::CallbackRequest& request, sdk::Call call) {
  // Verify before parsing: the token is a shared secret configured at the vendor. An
  // unverified request completes ok with a 4xx reply and no updates.
  const std::string& expected = api_.config().webhook_token;
  auto token = request.header("X-Example-Token");
  if (expected.empty() || !token || !sdk::constant_time_equals(*token, expected)) {
    call.ok(sdk::CallbackReply(401).body("bad token").to_json());
    return;
  }
  json event = parse_object(request.body, "callback body");
  if (!event.contains("order") || !event["order"].is_object())
    throw sdk::Error(TTB_STATUS_INVALID, "callback body has no order object");
  sdk::CallbackReply reply(200);
  reply.body("ok").update(order_update(event["order"], "").dump());
  if (event.contains("id") && event["id"].is_string())
    reply.event_id(event["id"].get<std::string>());
  call.ok(reply.to_json());
}

void ExampleProvider::fetch_order(std::string_view order_json, sdk::Call call) {
  json order = parse_object(order_json, "order context");
  const std::string vendor_id = required_string(order, "vendor_order_id", "order context");
  const std::string order_id = order.value("order_id", "");
  api_.get_invitation(vendor_id, std::move(call),
                      [order_id](const json& vendor_order, const sdk::Call& c) {
                        c.ok(order_update(vendor_order, order_id).dump());
                      });
}

}  // namespace ttb::example
