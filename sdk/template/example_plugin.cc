// An example vendor plugin: lists two tests, orders one through the vendor's REST API (via the
// host's HTTP), accepts the vendor's callbacks when they carry the shared webhook token, and
// polls an order. Replace the vendor API calls with yours; keep the shape.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ttbridge/plugin.hpp"

namespace {

using nlohmann::json;
using ttb::sdk::Call;
using ttb::sdk::Error;

// Parses untrusted JSON; malformed input becomes TTB_STATUS_INVALID (the kit checks this).
json parse_object(std::string_view text, const char* what) {
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object())
    throw Error(TTB_STATUS_INVALID, std::string(what) + " is not a JSON object");
  return j;
}

std::string require_string(const json& j, const char* key, const char* what) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string() || it->get<std::string>().empty())
    throw Error(TTB_STATUS_INVALID,
                std::string(what) + " needs a non-empty string \"" + key + "\"");
  return it->get<std::string>();
}

// Constant-time comparison for secrets.
bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// Maps the vendor's order JSON to an order update (docs/plugin-abi.md).
json order_update(const json& vendor_order, const std::string& order_id) {
  const std::string state = vendor_order.value("state", "");
  json update = {{"vendor_order_id", vendor_order.value("id", "")},
                 {"status", state == "done"      ? "completed"
                            : state == "started" ? "pending"
                                                 : "sent"},
                 {"vendor_state", json::object()}};
  if (!order_id.empty()) update["order_id"] = order_id;
  if (vendor_order.contains("score") && vendor_order["score"].is_number())
    update["score"] = vendor_order["score"];
  if (vendor_order.contains("report_url") && vendor_order["report_url"].is_string())
    update["report_url"] = vendor_order["report_url"];
  return update;
}

class ExampleProvider final : public ttb::sdk::Provider {
 public:
  ExampleProvider(ttb::sdk::Host host, std::string_view config_json) : Provider(host) {
    json config = parse_object(config_json, "config");
    api_key_ = require_string(config, "api_key", "config");
    base_url_ = config.value("base_url", "https://api.example.com/v1");
    webhook_token_ = config.value("webhook_token", "");
  }

  void list_tests(Call call) override {
    json tests = {{"tests",
                   {{{"id", "coding_basic"},
                     {"name", "Coding (basic)"},
                     {"kind", "assessment"},
                     {"description", "60-minute programming test"},
                     {"duration_minutes", 60}},
                    {{"id", "coding_senior"},
                     {"name", "Coding (senior)"},
                     {"kind", "assessment"},
                     {"description", "90-minute programming test"},
                     {"duration_minutes", 90}}}}};
    call.ok(tests.dump());
  }

  void create_order(std::string_view request_json, Call call) override {
    json request = parse_object(request_json, "order request");
    const std::string order_id = require_string(request, "order_id", "order request");
    const std::string test_id = require_string(request, "test_id", "order request");
    if (!request.contains("candidate") || !request["candidate"].is_object())
      throw Error(TTB_STATUS_INVALID, "order request needs a candidate object");
    const json& candidate = request["candidate"];
    json body = {
        {"test", test_id},
        {"email", candidate.value("email", "")},
        {"name", candidate.value("first_name", "") + " " + candidate.value("last_name", "")},
        {"webhook_url", request.value("callback_url", "")},
        {"reference", order_id}};
    ttb::sdk::HttpRequest http;
    http.method = "POST";
    http.url = base_url_ + "/invitations";
    http.headers = {{"Authorization", "Bearer " + api_key_}, {"Content-Type", "application/json"}};
    http.body = body.dump();
    host().http(std::move(http), std::move(call), [order_id](ttb::sdk::HttpResponse r, Call c) {
      ttb_status status = ttb::sdk::status_for_http(r);
      if (status != TTB_STATUS_OK) {
        c.fail(status, "vendor answered " + std::to_string(r.http_status) + r.error,
               ttb::sdk::retry_after_ms(r));
        return;
      }
      json vendor = parse_object(r.body, "vendor response");
      c.ok(order_update(vendor, order_id).dump());
    });
  }

  void handle_callback(const ttb::sdk::CallbackRequest& request, Call call) override {
    // Verify before parsing: the token is a shared secret configured at the vendor.
    auto token = request.header("X-Example-Token");
    if (webhook_token_.empty() || !token || !same_secret(*token, webhook_token_)) {
      call.ok(R"({"reply":{"status":401,"headers":[],"body":"bad token"},"updates":[]})");
      return;
    }
    json event = parse_object(request.body, "callback body");
    if (!event.contains("order") || !event["order"].is_object())
      throw Error(TTB_STATUS_INVALID, "callback body has no order object");
    json result = {{"reply", {{"status", 200}, {"headers", json::array()}, {"body", "ok"}}},
                   {"updates", json::array({order_update(event["order"], "")})}};
    if (event.contains("id") && event["id"].is_string()) result["event_id"] = event["id"];
    call.ok(result.dump());
  }

  void fetch_order(std::string_view order_json, Call call) override {
    json order = parse_object(order_json, "order context");
    const std::string vendor_id = require_string(order, "vendor_order_id", "order context");
    const std::string order_id = order.value("order_id", "");
    ttb::sdk::HttpRequest http;
    http.url = base_url_ + "/invitations/" + vendor_id;
    http.headers = {{"Authorization", "Bearer " + api_key_}};
    host().http(std::move(http), std::move(call), [order_id](ttb::sdk::HttpResponse r, Call c) {
      ttb_status status = ttb::sdk::status_for_http(r);
      if (status != TTB_STATUS_OK) {
        c.fail(status, "vendor answered " + std::to_string(r.http_status) + r.error,
               ttb::sdk::retry_after_ms(r));
        return;
      }
      c.ok(order_update(parse_object(r.body, "vendor response"), order_id).dump());
    });
  }

 private:
  std::string api_key_;
  std::string base_url_;
  std::string webhook_token_;
};

}  // namespace

TTB_PLUGIN(ExampleProvider, "example", "Example Tests", "0.1.0")
