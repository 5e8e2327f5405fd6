#include "fakes/testvendor/fake_testvendor.h"

#include <thread>

#include "fakes/testvendor/testvendor_wire.h"

namespace ttb::fakes::testvendor {

using nlohmann::json;

json Invitation::to_json() const {
  json j{{"id", id},          {"reference", reference},
         {"test", test},      {"candidate", {{"email", email}, {"name", name}}},
         {"status", status},  {"invite_url", "https://testvendor.example.com/invite/" + id},
         {"resends", resends}};
  for (const auto& [key, value] : result.items()) j[key] = value;
  return j;
}

FakeTestVendor::FakeTestVendor(FakeTestVendorOptions options)
    : options_(std::move(options)),
      client_(net::make_http_client()),
      tests_{{"t1", "Logic test", 30}, {"t2", "Personality test", 20}} {
  auto router = std::make_shared<net::Router>();
  for (const char* method : {"GET", "POST"}) {
    for (const char* pattern :
         {"/api/tests", "/api/orders", "/api/orders/{id}", "/api/orders/{id}/{verb}"}) {
      router->add(method, pattern, [this](net::Request& r) { return handle(r); });
    }
  }
  net::ServerOptions server_options;
  server_options.host = "127.0.0.1";
  server_options.port = 0;
  server_options.threads = 4;
  server_ = net::make_http_server(server_options, router, nullptr);
  server_->start();
}

FakeTestVendor::~FakeTestVendor() {
  server_->stop(std::chrono::milliseconds(0));
}

std::string FakeTestVendor::base_url() const {
  return "http://127.0.0.1:" + std::to_string(server_->port()) + "/api";
}

json FakeTestVendor::plugin_config() const {
  return {{"base_url", base_url()},
          {"api_key", options_.api_key},
          {"callback_secret", options_.callback_secret}};
}

void FakeTestVendor::set_tests(std::vector<TestSpec> tests) {
  std::lock_guard lock(mutex_);
  tests_ = std::move(tests);
}

void FakeTestVendor::set_down(bool down) {
  std::lock_guard lock(mutex_);
  down_ = down;
}

std::vector<Invitation> FakeTestVendor::invitations() const {
  std::lock_guard lock(mutex_);
  return orders_;
}

std::optional<Invitation> FakeTestVendor::invitation_for(const std::string& reference) const {
  std::lock_guard lock(mutex_);
  for (const auto& o : orders_)
    if (o.reference == reference) return o;
  return std::nullopt;
}

int FakeTestVendor::requests_seen() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::optional<Callback> FakeTestVendor::callback(const std::string& vendor_order_id,
                                                 const Outcome& outcome, std::string event_id) {
  std::lock_guard lock(mutex_);
  for (auto& o : orders_) {
    if (o.id != vendor_order_id) continue;
    o.status = outcome.status;
    o.result = json::object();
    if (outcome.score) o.result["score"] = *outcome.score;
    if (!outcome.summary.empty()) o.result["summary"] = outcome.summary;
    if (!outcome.report_url.empty()) o.result["report_url"] = outcome.report_url;
    if (!outcome.attachments.empty()) o.result["attachments"] = outcome.attachments;
    if (!outcome.details.empty()) o.result["details"] = outcome.details;
    if (event_id.empty()) event_id = "evt_" + std::to_string(next_event_++);
    Callback c;
    c.url = o.callback_url;
    c.body = json{{"event_id", event_id}, {"order", o.to_json()}}.dump();
    c.signature = ttb::testvendor::sign_body(options_.callback_secret, c.body);
    return c;
  }
  return std::nullopt;
}

net::ClientResponse FakeTestVendor::deliver(const Callback& callback) {
  net::ClientRequest r;
  r.method = "POST";
  r.url = callback.url;
  r.body = callback.body;
  r.headers = {{"Content-Type", "application/json"},
               {ttb::testvendor::kSignatureHeader, callback.signature}};
  return client_->send(r);
}

void FakeTestVendor::set_invite_pause(std::chrono::milliseconds pause) {
  std::lock_guard lock(mutex_);
  invite_pause_ = pause;
}

void FakeTestVendor::hold_invites(bool hold) {
  {
    std::lock_guard lock(mutex_);
    invites_held_ = hold;
  }
  invites_released_.notify_all();
}

net::Response FakeTestVendor::handle(net::Request& request) {
  std::unique_lock lock(mutex_);
  if (request.path == "/api/orders" && request.method == "POST") {
    // Slow on purpose, without the lock, so the test can read invitations meanwhile.
    invites_released_.wait(lock, [this] { return !invites_held_; });
    const auto pause = invite_pause_;
    lock.unlock();
    std::this_thread::sleep_for(pause);
    lock.lock();
  }
  ++requests_;
  if (down_) return net::Response::text(503, "testvendor is down for maintenance");
  if (request.header("Authorization").value_or("") != "Bearer " + options_.api_key)
    return net::Response::json(401, R"({"error":"bad api key"})");

  if (request.path == "/api/tests") {
    json tests = json::array();
    for (const auto& t : tests_)
      tests.push_back({{"id", t.id}, {"title", t.title}, {"minutes", t.minutes}});
    return net::Response::json(200, json{{"tests", tests}}.dump());
  }
  if (request.path == "/api/orders" && request.method == "POST") {
    json body = json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.value("reference", json()).is_string() ||
        !body.value("test", json()).is_string() || !body.value("candidate", json()).is_object())
      return net::Response::json(400, R"({"error":"reference, test and candidate are required"})");
    const std::string reference = body["reference"];
    for (const auto& o : orders_)
      if (o.reference == reference) return net::Response::json(200, o.to_json().dump());
    const std::string test = body["test"];
    bool known = false;
    for (const auto& t : tests_) known = known || t.id == test;
    if (!known) return net::Response::json(404, R"({"error":"no such test"})");
    Invitation o;
    o.id = "tv_" + std::to_string(next_id_++);
    o.reference = reference;
    o.test = test;
    o.email = body["candidate"].value("email", "");
    o.name = body["candidate"].value("name", "");
    o.callback_url = body.value("callback_url", "");
    o.made_at = std::chrono::system_clock::now();
    orders_.push_back(o);
    return net::Response::json(201, o.to_json().dump());
  }
  const std::string id = request.params.count("id") ? request.params["id"] : "";
  Invitation* order = nullptr;
  for (auto& o : orders_)
    if (o.id == id) order = &o;
  if (!order) return net::Response::json(404, R"({"error":"no such order"})");
  const std::string verb = request.params.count("verb") ? request.params["verb"] : "";
  if (verb.empty() && request.method == "GET")
    return net::Response::json(200, order->to_json().dump());
  if (verb == "cancel" && request.method == "POST") {
    if (order->status == "invited" || order->status == "started") order->status = "cancelled";
    return net::Response::json(200, order->to_json().dump());
  }
  if (verb == "resend" && request.method == "POST") {
    ++order->resends;
    return net::Response::json(200, order->to_json().dump());
  }
  return net::Response::json(404, R"({"error":"no such route"})");
}

}  // namespace ttb::fakes::testvendor
