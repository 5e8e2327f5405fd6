// testvendor.so: the smallest complete provider, for the engine's flow tests. It speaks the fake
// vendor of fake_testvendor.h (a REST API under base_url with a Bearer key, and HMAC-signed
// result callbacks) and implements every ABI function: list_tests, create_order, handle_callback,
// fetch_order, cancel_order and run_action("resend_invitation"). Built on the SDK alone.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "testvendor_wire.h"
#include "ttbridge/plugin.hpp"

namespace {

using nlohmann::json;
using ttb::sdk::Call;
using ttb::sdk::Error;
using ttb::sdk::HttpRequest;
using ttb::sdk::HttpResponse;

json parse_object(std::string_view text, const char* what) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) throw Error(TTB_STATUS_INVALID, std::string(what) + " is not a JSON object");
  return j;
}

std::string required_string(const json& j, const char* key, const char* where) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string() || it->get<std::string>().empty())
    throw Error(TTB_STATUS_INVALID, std::string(where) + " needs a string '" + key + "'");
  return it->get<std::string>();
}

// The vendor's order (GET /orders/{id}, callbacks) as an ABI order update.
json order_update(const json& order) {
  json update{{"vendor_order_id", order.value("id", "")},
              {"vendor_state", {{"vendor_order_id", order.value("id", "")}}}};
  if (order.contains("reference") && order["reference"].is_string())
    update["order_id"] = order["reference"];
  const std::string status = order.value("status", "");
  if (status == "invited") {
    update["status"] = "sent";
  } else if (status == "started") {
    update["status"] = "pending";
  } else if (status == "completed") {
    update["status"] = "completed";
  } else if (status == "expired" || status == "cancelled") {
    update["status"] = "failed";
    update["failure_reason"] = status;
  } else {
    update["status"] = "failed";
    update["failure_reason"] = "vendor_error";
  }
  for (const char* key : {"score", "summary", "report_url", "attachments", "details"})
    if (order.contains(key) && !order[key].is_null()) update[key] = order[key];
  if (order.contains("invite_url") && order["invite_url"].is_string())
    update["candidate_url"] = order["invite_url"];
  return update;
}

class TestVendor final : public ttb::sdk::Provider {
 public:
  // ABI 1.1: the config schema, a sample config and the one named action it runs.
  static const char* config_schema() noexcept {
    return R"json({"type":"object","required":["base_url","api_key","callback_secret"],
      "properties":{
        "base_url":{"type":"string","description":"The fake vendor's API root."},
        "api_key":{"type":"string","secret":true,"description":"Sent as a Bearer token."},
        "callback_secret":{"type":"string","secret":true,
                           "description":"The HMAC key of the vendor's callbacks."}}})json";
  }
  static const char* sample_config() noexcept {
    return R"json({"base_url":"http://127.0.0.1:9/api","api_key":"k","callback_secret":"s"})json";
  }
  static const char* const* actions() noexcept {
    static const char* const kActions[] = {"resend_invitation", nullptr};
    return kActions;
  }

  TestVendor(ttb::sdk::Host host, std::string_view config_json) : Provider(host) {
    json config = parse_object(config_json, "the testvendor config");
    base_url_ = required_string(config, "base_url", "the testvendor config");
    api_key_ = required_string(config, "api_key", "the testvendor config");
    callback_secret_ = required_string(config, "callback_secret", "the testvendor config");
  }

  void list_tests(Call call) override {
    send("GET", "/tests", "", std::move(call), [](const json& body, Call c) {
      json tests = json::array();
      for (const auto& t : body.value("tests", json::array())) {
        tests.push_back({{"id", t.value("id", "")},
                         {"name", t.value("title", "")},
                         {"kind", "assessment"},
                         {"description", t.value("title", "")},
                         {"duration_minutes", t.value("minutes", 0)}});
      }
      c.ok(json{{"tests", tests}}.dump());
    });
  }

  void create_order(std::string_view request_json, Call call) override {
    json request = parse_object(request_json, "the order request");
    const json candidate = request.value("candidate", json::object());
    json body{
        {"reference", required_string(request, "order_id", "the order request")},
        {"test", required_string(request, "test_id", "the order request")},
        {"candidate",
         {{"email", required_string(candidate, "email", "the candidate")},
          {"name", candidate.value("first_name", "") + " " + candidate.value("last_name", "")}}},
        {"callback_url", request.value("callback_url", "")}};
    send("POST", "/orders", body.dump(), std::move(call), [](const json& order, Call c) {
      json update = order_update(order);
      update["summary"] = "Invitation sent to " + order["candidate"].value("email", "");
      c.ok(update.dump());
    });
  }

  void handle_callback(const ttb::sdk::CallbackRequest& request, Call call) override {
    const std::string expected = ttb::testvendor::sign_body(callback_secret_, request.body);
    const auto given = request.header(ttb::testvendor::kSignatureHeader);
    if (!given || !ttb::sdk::constant_time_equals(*given, expected)) {
      call.ok(ttb::sdk::CallbackReply(401).body("bad signature").to_json());
      return;
    }
    json event = parse_object(request.body, "the callback body");
    json order = event.value("order", json::object());
    ttb::sdk::CallbackReply reply(200);
    reply.body("ok").update(order_update(order).dump());
    if (event.contains("event_id") && event["event_id"].is_string())
      reply.event_id(event["event_id"].get<std::string>());
    call.ok(reply.to_json());
  }

  void fetch_order(std::string_view order_json, Call call) override {
    send("GET", "/orders/" + vendor_id(order_json), "", std::move(call),
         [](const json& order, Call c) { c.ok(order_update(order).dump()); });
  }

  void cancel_order(std::string_view order_json, Call call) override {
    send("POST", "/orders/" + vendor_id(order_json) + "/cancel", "", std::move(call),
         [](const json& order, Call c) { c.ok(order_update(order).dump()); });
  }

  void run_action(std::string_view action_json, Call call) override {
    json action = parse_object(action_json, "the action request");
    if (action.value("action", "") != "resend_invitation")
      throw Error(TTB_STATUS_UNSUPPORTED,
                  "testvendor has no action '" + action.value("action", "") + "'");
    send("POST", "/orders/" + vendor_id(action.value("order", json::object()).dump()) + "/resend",
         "", std::move(call), [](const json& order, Call c) {
           json update = order_update(order);
           update["summary"] = "Invitation sent again to " + order["candidate"].value("email", "");
           c.ok(update.dump());
         });
  }

 private:
  static std::string vendor_id(std::string_view order_json) {
    json order = parse_object(order_json, "the order context");
    return required_string(order, "vendor_order_id", "the order context");
  }

  template <class OnJson>
  void send(const char* method, const std::string& path, std::string body, Call call,
            OnJson on_json) {
    HttpRequest r;
    r.method = method;
    r.url = base_url_ + path;
    r.headers = {{"Authorization", "Bearer " + api_key_}, {"Accept", "application/json"}};
    if (!body.empty()) r.headers.emplace_back("Content-Type", "application/json");
    r.body = std::move(body);
    host().http(std::move(r), std::move(call), [on_json](HttpResponse response, Call c) {
      const ttb_status status = ttb::sdk::status_for_http(response);
      if (status != TTB_STATUS_OK) {
        c.fail(status, "testvendor answered HTTP " + std::to_string(response.http_status),
               ttb::sdk::retry_after_ms(response));
        return;
      }
      on_json(parse_object(response.body, "the testvendor answer"), c);
    });
  }

  std::string base_url_, api_key_, callback_secret_;
};

}  // namespace

TTB_PLUGIN(TestVendor, "testvendor", "Test Vendor", "1.0.0")
