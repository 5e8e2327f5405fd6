#include "plugin_harness.h"

#include <chrono>
#include <stdexcept>

#include "net/http_client.h"
#include "net/router.h"

namespace ttb::codility::testing {

using ttb::plugins::CallResult;
using ttb::plugins::CallStatus;

CallResult wait(std::future<CallResult> f) {
  if (f.wait_for(std::chrono::seconds(20)) != std::future_status::ready)
    return CallResult{CallStatus::timeout, "", "the test gave up waiting", std::nullopt};
  return f.get();
}

PluginHarness::PluginHarness(ttb::fakes::codility::FakeCodilityOptions options)
    : fake_(std::make_unique<ttb::fakes::codility::FakeCodility>(std::move(options))) {
  ttb::plugins::HostOptions host_options;
  host_options.http = std::shared_ptr<ttb::net::HttpClient>(ttb::net::make_http_client());
  host_options.call_timeout = std::chrono::seconds(15);
  host_options.log = [](const ttb::plugins::HostLogRecord&) {};  // keep test output quiet
  host_ = std::make_unique<ttb::plugins::PluginHost>(std::move(host_options));

  auto router = std::make_shared<ttb::net::Router>();
  router->add("POST", "/callbacks/{tenant}/{provider}/{rest...}", [this](ttb::net::Request& r) {
    ttb::plugins::CallbackRequest cb;
    cb.method = r.method;
    cb.path = r.params["rest"];
    cb.headers = r.headers;
    cb.body = r.body;
    if (cb.path.rfind("orders/", 0) == 0) {
      std::lock_guard lock(mutex_);
      if (auto it = contexts_.find(cb.path.substr(7)); it != contexts_.end())
        cb.order_json = it->second.dump();
    }
    CallResult result = wait(provider_->handle_callback(cb));
    {
      std::lock_guard lock(mutex_);
      callbacks_.push_back(Callback{cb.path, result});
    }
    if (!result.ok()) return ttb::net::Response::json(503, R"({"error":"plugin failed"})");
    json reply = json::parse(result.json)["reply"];
    return ttb::net::Response::json(reply["status"].get<int>(), reply.value("body", ""));
  });
  ttb::net::ServerOptions server_options;
  server_options.host = "127.0.0.1";
  server_options.port = 0;
  receiver_ = ttb::net::make_http_server(server_options, router, {});
  receiver_->start();

  auto made = make_provider(config());
  if (!made.provider) throw std::runtime_error(made.error);
  provider_ = made.provider;
}

PluginHarness::~PluginHarness() {
  receiver_->stop(std::chrono::milliseconds(100));
  provider_.reset();
  host_.reset();
}

json PluginHarness::config() const {
  return {{"api_token", fake_->api_token()},
          {"base_url", fake_->base_url()},
          {"callback_secret", "harness-callback-secret-0123456789"}};
}

ttb::plugins::CreateProviderResult PluginHarness::make_provider(const json& config) {
  return host_->create_provider("acme", "codility", TTB_CODILITY_PLUGIN_PATH, config);
}

std::string PluginHarness::callback_base() const {
  return "http://127.0.0.1:" + std::to_string(receiver_->port()) + "/callbacks/acme/codility";
}

json PluginHarness::order_request(const std::string& order_id, const std::string& test_id,
                                  const std::string& email) const {
  return {{"order_id", order_id},
          {"test_id", test_id},
          {"candidate",
           {{"id", "1001"},
            {"first_name", "Ada"},
            {"last_name", "Lovelace"},
            {"email", email},
            {"phone", "+46700000000"}}},
          {"job", {{"id", "77"}, {"title", "C++ Engineer"}}},
          {"options", json::object()},
          {"callback_url", callback_base() + "/orders/" + order_id},
          {"locale", "en"}};
}

CallResult PluginHarness::create(const std::string& order_id, const std::string& test_id,
                                 const std::string& email) {
  json request = order_request(order_id, test_id, email);
  CallResult r = wait(provider_->create_order(request.dump()));
  if (r.ok()) {
    json update = json::parse(r.json);
    json ctx = {{"order_id", order_id},
                {"vendor_order_id", update["vendor_order_id"]},
                {"test_id", test_id},
                {"status", update["status"]},
                {"candidate", request["candidate"]},
                {"vendor_state", update["vendor_state"]}};
    std::lock_guard lock(mutex_);
    contexts_[order_id] = ctx;
  }
  return r;
}

json PluginHarness::context(const std::string& order_id) const {
  std::lock_guard lock(mutex_);
  auto it = contexts_.find(order_id);
  return it == contexts_.end() ? json() : it->second;
}

std::vector<PluginHarness::Callback> PluginHarness::callbacks() const {
  std::lock_guard lock(mutex_);
  return callbacks_;
}

}  // namespace ttb::codility::testing
