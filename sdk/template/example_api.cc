#include "example_api.h"

#include "mapping.h"
#include "ttbridge/json_depth.hpp"
#include "ttbridge/url.hpp"

namespace ttb::example {

void ExampleApi::create_invitation(const nlohmann::json& body, sdk::Call call,
                                   OnJson on_json) const {
  sdk::HttpRequest http;
  http.method = "POST";
  http.url = config_.base_url + "/invitations";
  http.headers = {{"Content-Type", "application/json"}};
  http.body = body.dump();
  send(std::move(http), std::move(call), std::move(on_json));
}

void ExampleApi::get_invitation(const std::string& id, sdk::Call call, OnJson on_json) const {
  sdk::HttpRequest http;
  http.url = config_.base_url + "/invitations/" + sdk::encode_segment(id);  // one segment, always
  send(std::move(http), std::move(call), std::move(on_json));
}

void ExampleApi::send(sdk::HttpRequest request, sdk::Call call, OnJson on_json) const {
  request.headers.emplace_back("Authorization", "Bearer " + config_.api_key);
  host_.http(request, std::move(call),
             [on_json = std::move(on_json)](const sdk::HttpResponse& r, sdk::Call c) {
               on_json(answer_body(r), std::move(c));
             });
}

nlohmann::json answer_body(const sdk::HttpResponse& r) {
  ttb_status status = sdk::status_for_http(r);
  if (status != TTB_STATUS_OK)
    throw sdk::Error(status, "vendor answered " + std::to_string(r.http_status) + r.error,
                     sdk::retry_after_ms(r));
  // Parsing deep JSON is safe, walking it is not: see json_depth.hpp.
  if (sdk::json_nests_deeper_than(r.body, sdk::kMaxVendorJsonDepth))
    throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE, "vendor answer nests too deep");
  nlohmann::json body = nlohmann::json::parse(r.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE, "vendor answer is not a JSON object");
  return body;
}

}  // namespace ttb::example
