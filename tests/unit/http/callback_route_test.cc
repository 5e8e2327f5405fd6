// The vendor callback route never waits on a plugin without a deadline: a call that does not
// complete is answered with a retryable 503 and Retry-After once the route's wait has passed,
// and a plugin that reports a transient failure gets the same retryable answer.
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "forwarding_store.h"
#include "http/partner_routes_impl.h"
#include "orders/order_service.h"
#include "store_fixture.h"
#include "tenants/tenant_directory.h"

namespace ttb::http {
namespace {

using namespace std::chrono_literals;
using plugins::CallResult;
using plugins::CallStatus;

// A provider whose callback answer is whatever the test holds: by default it never comes.
class HeldProvider final : public plugins::Provider {
 public:
  std::promise<CallResult> callback_answer;
  std::atomic<int> callbacks{0};
  std::future<CallResult> handle_callback(plugins::CallbackRequest) override {
    ++callbacks;
    return callback_answer.get_future();
  }

  const std::string& tenant() const override { return text_; }
  const std::string& name() const override { return text_; }
  const std::string& plugin_name() const override { return text_; }
  const std::string& plugin_version() const override { return text_; }
  bool supports_fetch_order() const override { return false; }
  bool supports_cancel_order() const override { return false; }
  bool supports_run_action() const override { return false; }
  std::future<CallResult> list_tests() override { return unsupported(); }
  std::future<CallResult> create_order(std::string) override { return unsupported(); }
  std::future<CallResult> fetch_order(std::string) override { return unsupported(); }
  std::future<CallResult> cancel_order(std::string) override { return unsupported(); }
  std::future<CallResult> run_action(std::string) override { return unsupported(); }

 private:
  static std::future<CallResult> unsupported() {
    std::promise<CallResult> p;
    p.set_value({CallStatus::unsupported, "", "", std::nullopt});
    return p.get_future();
  }
  std::string text_ = "held";
};

class CallbackRoute : public store::testing::StoreFixture {
 protected:
  void SetUp() override {
    config::TenantSettings tenant;
    tenant.id = "acme";
    tenant.activation_token = config::Secret("activation-token-of-acme");
    config::ProviderSettings settings;
    settings.name = "vendor";
    settings.plugin = "held";
    tenant.providers.push_back(settings);
    auto built = tenants::build_directory(
        {tenant}, [this](const std::string&, const config::ProviderSettings&) {
          return std::variant<std::shared_ptr<plugins::Provider>, std::string>(provider_);
        });
    ASSERT_TRUE(built.directory) << (built.errors.empty() ? "" : built.errors.front());
    tenants_ = std::make_unique<tenants::LiveTenants>(built.directory);
    context_.tenants = tenants_.get();
    context_.plugin_wait = 200ms;
  }

  net::Response post_callback(const std::string& rest = "ping") {
    net::Request request;
    request.method = "POST";
    request.path = "/callbacks/acme/vendor/" + rest;
    request.params = {{"tenant", "acme"}, {"provider", "vendor"}, {"rest", rest}};
    request.body = "{}";
    request.request_id = "test-request";
    return receive_vendor_callback(context_, request);
  }

  std::shared_ptr<HeldProvider> provider_ = std::make_shared<HeldProvider>();
  std::unique_ptr<tenants::LiveTenants> tenants_;
  PartnerRouteContext context_;
};

TEST_F(CallbackRoute, PluginThatNeverAnswersGetsARetryable503AfterTheWait) {
  auto answered = std::async(std::launch::async, [this] { return post_callback(); });
  ASSERT_EQ(answered.wait_for(context_.plugin_wait + 10s), std::future_status::ready)
      << "the route waits on the plugin without a deadline";
  net::Response response = answered.get();
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(net::find_header(response.headers, "Retry-After").value_or(""), "10");
}

TEST_F(CallbackRoute, PluginTimeoutIsARetryable503) {
  provider_->callback_answer.set_value({CallStatus::timeout, "", "took too long", std::nullopt});
  net::Response response = post_callback();
  EXPECT_EQ(response.status, 503);
  EXPECT_TRUE(net::find_header(response.headers, "Retry-After").has_value());
}

TEST_F(CallbackRoute, RefusedCallbackIsNotRetryable) {
  provider_->callback_answer.set_value({CallStatus::auth, "", "bad signature", std::nullopt});
  net::Response response = post_callback();
  EXPECT_EQ(response.status, 401);
  EXPECT_FALSE(net::find_header(response.headers, "Retry-After").has_value());
}

// A callback that names an order the store cannot read (a database outage): the vendor is asked
// to send it again, since the plugin, given no order, would refuse it for good.
TEST_F(CallbackRoute, AnOrderTheStoreCannotReadIsARetryable503NotARefusal) {
  struct Unreadable : store::testing::ForwardingStore {
    using ForwardingStore::ForwardingStore;
    store::Result<store::OrderRecord> get_order(const std::string&) override {
      return store::Error{store::Error::Code::unavailable, "disk I/O error (injected)"};
    }
  };
  auto inner = open();
  Unreadable unreadable(*inner);
  orders::OrderService orders(unreadable, orders::OrderServiceOptions{"https://ttb.example"});
  context_.orders = &orders;
  net::Response response = post_callback("orders/pr-1");
  EXPECT_EQ(response.status, 503);
  EXPECT_TRUE(net::find_header(response.headers, "Retry-After").has_value());
  EXPECT_EQ(provider_->callbacks, 0) << "the plugin is not asked without its order";
  inner->close();
}

// The reply goes to the vendor's server; a browser sent to the callback URL must not run a reply
// the plugin gave as HTML on this daemon's origin.
TEST_F(CallbackRoute, AReplyIsNeverRunAsAPageOfTheDaemon) {
  auto store = open();
  orders::OrderService orders(*store, orders::OrderServiceOptions{"https://ttb.example"});
  context_.orders = &orders;
  provider_->callback_answer.set_value(
      {CallStatus::ok,
       R"({"reply":{"status":200,"headers":[["Content-Type","text/html"]],)"
       R"("body":"<script>alert(1)</script>"}})",
       "", std::nullopt});
  net::Response response = post_callback();
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.content_type, "text/html");
  EXPECT_EQ(net::find_header(response.headers, "Content-Security-Policy").value_or(""),
            "sandbox; default-src 'none'");
  EXPECT_EQ(net::find_header(response.headers, "X-Content-Type-Options").value_or(""), "nosniff");
  store->close();
}

}  // namespace
}  // namespace ttb::http
