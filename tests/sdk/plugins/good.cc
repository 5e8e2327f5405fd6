// Test plugin "good": follows the contract. create_order POSTs to config.base_url through the
// host (Authorization: Bearer <api_key>) and maps the answer; handle_callback accepts requests
// with the configured token; fetch_order echoes vendor_state; run_action knows "resend_invitation".
// ABI 1.1: declares a config schema, a sample config and its action; fetch_document returns a
// fresh link for "report" and the bytes for "attachment".

#include <string>

#include <nlohmann/json.hpp>

#include "ttbridge/plugin.hpp"

namespace {
using nlohmann::json;
using ttb::sdk::Call;
using ttb::sdk::Error;

json object_of(std::string_view text, const char* what) {
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object())
    throw Error(TTB_STATUS_INVALID, std::string(what) + " is not a JSON object");
  return j;
}

class Good final : public ttb::sdk::Provider {
 public:
  static const char* config_schema() noexcept {
    return R"({"type":"object","required":["api_key"],"properties":{
      "api_key":{"type":"string","secret":true,"description":"The vendor API key."},
      "base_url":{"type":"string","default":"http://127.0.0.1:9/none","description":"API root."},
      "token":{"type":"string","secret":true,"description":"The callbacks' shared token."},
      "method":{"type":"string","default":"POST","description":"create_order's HTTP method."}}})";
  }
  static const char* sample_config() noexcept {
    return R"({"api_key":"sample-key","base_url":"http://127.0.0.1:9/none"})";
  }
  static const char* const* actions() noexcept {
    static const char* const kActions[] = {"resend_invitation", nullptr};
    return kActions;
  }

  Good(ttb::sdk::Host host, std::string_view config) : Provider(host) {
    json c = object_of(config, "config");
    base_url_ = c.value("base_url", "http://127.0.0.1:9/none");
    api_key_ = c.value("api_key", "");
    token_ = c.value("token", "");
    method_ = c.value("method", "POST");
  }
  void list_tests(Call call) override {
    log(TTB_LOG_INFO, "listing tests");
    call.ok(
        R"({"tests":[{"id":"t1","name":"Test One","kind":"assessment","description":"d","duration_minutes":30}]})");
  }
  void create_order(std::string_view request, Call call) override {
    json r = object_of(request, "order request");
    if (!r.contains("order_id") || !r["order_id"].is_string())
      throw Error(TTB_STATUS_INVALID, "order_id missing");
    std::string order_id = r["order_id"];
    ttb::sdk::HttpRequest http;
    http.method = method_;
    http.url = base_url_ + "/orders";
    http.headers = {{"Authorization", "Bearer " + api_key_}, {"Content-Type", "application/json"}};
    http.body = json{{"ref", order_id}}.dump();
    host().http(std::move(http), std::move(call), [order_id](ttb::sdk::HttpResponse resp, Call c) {
      ttb_status st = ttb::sdk::status_for_http(resp);
      if (st != TTB_STATUS_OK)
        return c.fail(st, "vendor answered " + std::to_string(resp.http_status),
                      ttb::sdk::retry_after_ms(resp));
      json v = object_of(resp.body, "vendor answer");
      c.ok(json{{"order_id", order_id},
                {"vendor_order_id", v.value("id", "")},
                {"status", "sent"},
                {"vendor_state", {{"token", v.value("token", "")}}}}
               .dump());
    });
  }
  void handle_callback(const ttb::sdk::CallbackRequest& req, Call call) override {
    auto t = req.header("X-Token");
    if (token_.empty() || !t || *t != token_)
      return call.ok(R"({"reply":{"status":401,"headers":[],"body":""},"updates":[]})");
    json e = object_of(req.body, "body");
    call.ok(json{{"reply",
                  {{"status", 200},
                   {"headers", json::array({json::array({"Content-Type", "text/plain"})})},
                   {"body", "ok"}}},
                 {"event_id", e.value("id", "")},
                 {"updates", json::array({{{"vendor_order_id", e.value("order", "")},
                                           {"status", "completed"},
                                           {"score", 88}}})}}
                .dump());
  }
  void fetch_order(std::string_view order, Call call) override {
    json o = object_of(order, "order context");
    call.ok(json{{"vendor_order_id", o.value("vendor_order_id", "")},
                 {"status", "pending"},
                 {"vendor_state", o.value("vendor_state", json::object())}}
                .dump());
  }
  void fetch_document(std::string_view request, Call call) override {
    json r = object_of(request, "document request");
    const std::string order_id = r.value("order", json::object()).value("order_id", "");
    if (r.value("document", "") == "report")
      return call.ok(json{{"url", "https://vendor.example/reports/" + order_id + "?fresh=1"},
                          {"expires_at_ms", 4102444800000}}
                         .dump());
    if (r.value("document", "") == "attachment")
      return call.ok(R"({"content_type":"application/pdf","body_base64":"JVBERi0xLjQK"})");
    throw Error(TTB_STATUS_NOT_FOUND, "no such document");
  }
  void run_action(std::string_view action, Call call) override {
    json a = object_of(action, "action request");
    if (a.value("action", "") != "resend_invitation")
      throw Error(TTB_STATUS_UNSUPPORTED, "unknown action");
    call.ok(R"({"vendor_order_id":"v1","status":"sent"})");
  }

 private:
  std::string base_url_, api_key_, token_, method_;
};
}  // namespace

TTB_PLUGIN(Good, "good", "Good Test Plugin", "1.2.3")
