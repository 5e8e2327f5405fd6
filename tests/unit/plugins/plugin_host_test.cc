// PluginHost: instances created per provider, calls completed exactly once, deadlines, late and
// double completions ignored, HTTP through the injected client with Authorization kept out of
// the log.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "host_test_support.h"
#include "ops/log.h"
#include "plugins/internal/plugin_host.h"

namespace ttb::plugins {
namespace {

using namespace std::chrono_literals;

using test_support::eventually;
using test_support::FakeHttp;
using test_support::get;
using test_support::Logs;
using test_support::plugin;

class PluginHostTest : public ::testing::Test {
 protected:
  HostOptions options(std::chrono::milliseconds timeout = 5s) {
    HostOptions o;
    o.http = http;
    o.call_timeout = timeout;
    o.log = [this](const HostLogRecord& r) { logs.add(r); };
    return o;
  }
  std::shared_ptr<FakeHttp> http = std::make_shared<FakeHttp>();
  Logs logs;
};

TEST_F(PluginHostTest, CreatesAProviderWithItsIdentity) {
  PluginHost host(options());
  auto r = host.create_provider("acme", "good1", plugin("ttb_test_good"), {{"api_key", "k"}});
  ASSERT_TRUE(r.provider) << r.error;
  EXPECT_EQ(r.provider->tenant(), "acme");
  EXPECT_EQ(r.provider->name(), "good1");
  EXPECT_EQ(r.provider->plugin_name(), "good");
  EXPECT_EQ(r.provider->plugin_version(), "1.2.3");
  EXPECT_TRUE(r.provider->supports_fetch_order());
  EXPECT_FALSE(r.provider->supports_cancel_order());
  EXPECT_TRUE(r.provider->supports_run_action());
}

TEST_F(PluginHostTest, CreatesFromProviderSettings) {
  PluginHost host(options());
  config::ProviderSettings s;
  s.name = "good2";
  s.plugin = "ttb_test_good";
  s.plugin_path = plugin("ttb_test_good");
  s.config = {{"api_key", "k"}};
  auto r = host.create_provider("acme", s);
  ASSERT_TRUE(r.provider) << r.error;
  EXPECT_EQ(get(r.provider->list_tests()).status, CallStatus::ok);
}

TEST_F(PluginHostTest, ListTestsReturnsThePluginsJson) {
  PluginHost host(options());
  auto p = host.create_provider("acme", "good", plugin("ttb_test_good"), nlohmann::json::object())
               .provider;
  ASSERT_TRUE(p);
  auto r = get(p->list_tests());
  EXPECT_EQ(r.status, CallStatus::ok) << r.detail;
  EXPECT_EQ(nlohmann::json::parse(r.json)["tests"][0]["id"], "t1");
  EXPECT_TRUE(eventually([&] { return logs.contains_text("listing tests"); }))
      << "plugin log reaches the host log";
}

TEST_F(PluginHostTest, CreateFailureShowsThePluginsMessage) {
  PluginHost host(options());
  auto r =
      host.create_provider("acme", "cf", plugin("ttb_test_create_fails"), nlohmann::json::object());
  ASSERT_FALSE(r.provider);
  EXPECT_NE(r.error.find("tenant acme, provider cf"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("config needs \"api_key\""), std::string::npos) << r.error;
}

TEST_F(PluginHostTest, WrongMajorIsRefusedWithBothVersions) {
  PluginHost host(options());
  auto r =
      host.create_provider("acme", "wm", plugin("ttb_test_wrong_major"), nlohmann::json::object());
  ASSERT_FALSE(r.provider);
  EXPECT_NE(r.error.find("built for plugin ABI 2.3"), std::string::npos) << r.error;
}

TEST_F(PluginHostTest, PluginOfMinorNWorksInHostOfMinorNPlusOne) {
  auto o = options();
  o.abi_minor = TTB_ABI_MINOR + 1;
  PluginHost host(o);
  auto p = host.create_provider("acme", "good", plugin("ttb_test_good"), nlohmann::json::object())
               .provider;
  ASSERT_TRUE(p);
  EXPECT_EQ(get(p->list_tests()).status, CallStatus::ok);
}

TEST_F(PluginHostTest, FetchDocumentReachesThePluginAndReturnsAFreshLink) {
  PluginHost host(options());
  auto p =
      host.create_provider("acme", "good", plugin("ttb_test_good"), {{"api_key", "k"}}).provider;
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->supports_fetch_document());
  auto r = get(p->fetch_document(
      R"({"document":"report","url":"","order":{"order_id":"pr_1","vendor_order_id":"v1"}})"));
  ASSERT_EQ(r.status, CallStatus::ok) << r.detail;
  auto j = nlohmann::json::parse(r.json);
  EXPECT_EQ(j["url"], "https://vendor.example/reports/pr_1?fresh=1");
  EXPECT_EQ(j["expires_at_ms"], 4102444800000);

  auto bytes = get(p->fetch_document(R"({"document":"attachment","order":{"order_id":"pr_1"}})"));
  ASSERT_EQ(bytes.status, CallStatus::ok) << bytes.detail;
  EXPECT_EQ(nlohmann::json::parse(bytes.json)["content_type"], "application/pdf");
  EXPECT_EQ(get(p->fetch_document(R"({"document":"invoice","order":{}})")).status,
            CallStatus::not_found);
}

TEST_F(PluginHostTest, DeclaredActionsComeFromThe11Descriptor) {
  PluginHost host(options());
  auto p =
      host.create_provider("acme", "good", plugin("ttb_test_good"), {{"api_key", "k"}}).provider;
  ASSERT_TRUE(p);
  EXPECT_EQ(p->declared_actions(), std::vector<std::string>{"resend_invitation"});
  EXPECT_TRUE(p->declares_action("resend_invitation"));
  EXPECT_FALSE(p->declares_action("reopen"));
}

TEST_F(PluginHostTest, APluginBuiltAgainstThe10HeaderWorksInThe11Host) {
  PluginHost host(options());
  auto r =
      host.create_provider("acme", "old", plugin("ttb_test_abi_1_0"), nlohmann::json::object());
  ASSERT_TRUE(r.provider) << r.error;
  auto& p = *r.provider;
  EXPECT_EQ(nlohmann::json::parse(get(p.list_tests()).json)["tests"][0]["id"], "t10");
  auto order = get(p.create_order(R"({"order_id":"pr_1"})"));
  EXPECT_EQ(order.status, CallStatus::ok) << order.detail;
  EXPECT_EQ(nlohmann::json::parse(order.json)["vendor_order_id"], "old-1");
  EXPECT_TRUE(p.supports_cancel_order());
  EXPECT_EQ(get(p.cancel_order(R"({"order_id":"pr_1"})")).status, CallStatus::ok);
  // The 1.1 members lie beyond the plugin's structs: absent, never read.
  EXPECT_FALSE(p.supports_fetch_document());
  EXPECT_EQ(get(p.fetch_document(R"({"document":"report","order":{}})")).status,
            CallStatus::unsupported);
  EXPECT_TRUE(p.declared_actions().empty());
}

TEST_F(PluginHostTest, AHostPlaying10NeverCallsFetchDocument) {
  auto o = options();
  o.abi_minor = 0;
  PluginHost host(o);
  auto p =
      host.create_provider("acme", "good", plugin("ttb_test_good"), {{"api_key", "k"}}).provider;
  ASSERT_TRUE(p);
  EXPECT_FALSE(p->supports_fetch_document());
  EXPECT_EQ(get(p->fetch_document(R"({"document":"report","order":{}})")).status,
            CallStatus::unsupported);
}

TEST_F(PluginHostTest, ExceptionsBecomeInternalWithTheirMessage) {
  PluginHost host(options());
  auto p = host.create_provider("acme", "t", plugin("ttb_test_throws"), nlohmann::json::object())
               .provider;
  ASSERT_TRUE(p);
  auto r = get(p->create_order("{}"));
  EXPECT_EQ(r.status, CallStatus::internal);
  EXPECT_EQ(r.detail, "boom in create_order");
  EXPECT_EQ(get(p->handle_callback({})).status, CallStatus::internal);
}

TEST_F(PluginHostTest, AnExceptionEscapingTheAbiIsCaught) {
  PluginHost host(options());
  auto p = host.create_provider("acme", "e", plugin("ttb_test_escapes"), nlohmann::json::object())
               .provider;
  ASSERT_TRUE(p);
  auto r = get(p->list_tests());
  EXPECT_EQ(r.status, CallStatus::internal);
  EXPECT_NE(r.detail.find("escaped from list_tests"), std::string::npos) << r.detail;
  EXPECT_EQ(get(p->create_order("{}")).status, CallStatus::invalid) << "the instance keeps working";
}

TEST_F(PluginHostTest, ACallThatNeverCompletesTimesOut) {
  PluginHost host(options(50ms));
  auto p = host.create_provider("acme", "s", plugin("ttb_test_silent"), nlohmann::json::object())
               .provider;
  ASSERT_TRUE(p);
  auto r = get(p->list_tests());
  EXPECT_EQ(r.status, CallStatus::timeout);
  EXPECT_TRUE(is_retryable(r.status));
  // The host logs right after it completes the future: poll, don't race it.
  EXPECT_TRUE(eventually([&] { return logs.any("plugin_call_timeout"); }));
}

TEST_F(PluginHostTest, ACallTimesOutWhileHungCallsHoldEveryPluginThread) {
  // Two plugin threads, each held by a call that hangs inside the plugin ("blocks" waits 3 s on
  // a strand, thirty deadlines long). The deadlines must still fire: theirs and that of a third
  // call queued behind them with no thread left to run it.
  HostOptions o = options(100ms);
  o.threads = 2;
  PluginHost host(o);
  std::vector<std::shared_ptr<Provider>> providers;
  for (const char* name : {"hung1", "hung2", "queued"}) {
    auto made = host.create_provider("acme", name, plugin("ttb_test_blocks"), {{"block_ms", 3000}});
    ASSERT_TRUE(made.provider) << made.error;
    providers.push_back(made.provider);
  }
  auto first = providers[0]->list_tests();
  auto second = providers[1]->list_tests();
  auto third = providers[2]->list_tests();
  EXPECT_EQ(get(std::move(third)).status, CallStatus::timeout);
  EXPECT_EQ(get(std::move(first)).status, CallStatus::timeout);
  EXPECT_EQ(get(std::move(second)).status, CallStatus::timeout);
  // The hung calls end only when "blocks" gives up its wait; the host then joins its threads.
}

TEST_F(PluginHostTest, ASecondCompletionIsIgnoredAndLogged) {
  PluginHost host(options());
  auto p = host.create_provider("acme", "tw", plugin("ttb_test_twice"), nlohmann::json::object())
               .provider;
  ASSERT_TRUE(p);
  auto r = get(p->list_tests());
  EXPECT_EQ(r.status, CallStatus::ok) << "the first completion wins";
  EXPECT_TRUE(eventually([&] { return logs.any("plugin_late_completion"); }));
  EXPECT_EQ(get(p->list_tests()).status, CallStatus::ok) << "the instance keeps working";
}

TEST_F(PluginHostTest, OptionalCallsThePluginLacksAreUnsupported) {
  PluginHost host(options());
  auto p = host.create_provider("acme", "good", plugin("ttb_test_good"), nlohmann::json::object())
               .provider;
  ASSERT_TRUE(p);
  EXPECT_EQ(get(p->cancel_order("{}")).status, CallStatus::unsupported);
  EXPECT_EQ(get(p->run_action(R"({"action":"nope","order":{}})")).status, CallStatus::unsupported);
  auto f =
      get(p->fetch_order(R"({"order_id":"o","vendor_order_id":"v","vendor_state":{"token":"t"}})"));
  ASSERT_EQ(f.status, CallStatus::ok) << f.detail;
  EXPECT_EQ(nlohmann::json::parse(f.json)["vendor_state"]["token"], "t");
}

TEST_F(PluginHostTest, HttpGoesThroughTheInjectedClientAndAuthorizationStaysOutOfLogs) {
  http->reply.status = 201;
  http->reply.body = R"({"id":"v_9","token":"per-order"})";
  PluginHost host(options());
  auto p =
      host.create_provider("acme", "good", plugin("ttb_test_good"),
                           {{"api_key", "sk_live_SECRET"}, {"base_url", "https://vendor.test/v1"}})
          .provider;
  ASSERT_TRUE(p);
  auto r = get(p->create_order(R"({"order_id":"pr_1"})"));
  ASSERT_EQ(r.status, CallStatus::ok) << r.detail;
  auto update = nlohmann::json::parse(r.json);
  EXPECT_EQ(update["vendor_order_id"], "v_9");
  EXPECT_EQ(update["vendor_state"]["token"], "per-order");
  ASSERT_EQ(http->requests.size(), 1u);
  EXPECT_EQ(http->requests[0].method, "POST");
  EXPECT_EQ(http->requests[0].url, "https://vendor.test/v1/orders");
  EXPECT_EQ(net::find_header(http->requests[0].headers, "authorization"), "Bearer sk_live_SECRET");
  EXPECT_TRUE(logs.any("plugin_http"));
  EXPECT_FALSE(logs.contains_text("sk_live_SECRET"));
}

TEST_F(PluginHostTest, ARequestThatCannotBeSentIsRefusedAsInvalidNotSent) {
  // A key too long for one header, a key or a method that would break the request in two:
  // refused at once, so the call fails as malformed instead of as a vendor outage to retry.
  PluginHost host(options());
  const nlohmann::json base = {{"api_key", "k"}, {"base_url", "https://vendor.test/v1"}};
  const auto with = [&base](const char* name, const std::string& value) {
    nlohmann::json config = base;
    config[name] = value;
    return config;
  };
  for (const nlohmann::json& config :
       {with("api_key", std::string(70000, 'k')), with("api_key", "k\r\nX-Admin: yes"),
        with("method", "POST /admin HTTP/1.1\r\nX-Admin: yes\r\n\r\nPOST")}) {
    auto p = host.create_provider("acme", "good", plugin("ttb_test_good"), config).provider;
    ASSERT_TRUE(p);
    auto r = get(p->create_order(R"({"order_id":"pr_1"})"));
    EXPECT_EQ(r.status, CallStatus::invalid) << r.detail;
  }
  EXPECT_TRUE(http->requests.empty());
  EXPECT_TRUE(logs.any("plugin_http_refused"));
  EXPECT_FALSE(logs.contains_text("X-Admin"));
}

TEST(OperatorLogLevel, IsTheLowestLevelTheOperatorsLogWrites) {
  ops::init_logging(ops::LogFormat::text, ops::Level::warn);
  EXPECT_EQ(operator_log_level(), LogLevel::warn);
  ops::init_logging(ops::LogFormat::text, ops::Level::debug);
  EXPECT_EQ(operator_log_level(), LogLevel::debug);
  ops::init_logging(ops::LogFormat::text, ops::Level::info);  // as the process started
  EXPECT_EQ(operator_log_level(), LogLevel::info);
}

TEST_F(PluginHostTest, LinesBelowTheLogLevelAreDropped) {
  http->reply.status = 201;
  http->reply.body = R"({"id":"v_9"})";
  auto o = options();
  o.log_level = LogLevel::info;
  PluginHost host(o);
  auto p = host.create_provider("acme", "good", plugin("ttb_test_good"),
                                {{"api_key", "k"}, {"base_url", "https://vendor.test/v1"}})
               .provider;
  ASSERT_TRUE(p);
  ASSERT_EQ(get(p->list_tests()).status, CallStatus::ok);
  ASSERT_EQ(get(p->create_order(R"({"order_id":"pr_1"})")).status, CallStatus::ok);
  EXPECT_TRUE(logs.contains_text("listing tests"));
  EXPECT_FALSE(logs.any("plugin_http"));
}

// A 429's wait, and a 503's Retry-After, which the SDK passes on too (Codility's plugin does):
// the host once dropped the second, and the job retried sooner than the vendor asked.
TEST_F(PluginHostTest, AVendorsRetryAfterIsCarriedWithA429AndA503) {
  struct Case {
    int http_status;
    const char* retry_after;
    CallStatus status;
    std::chrono::milliseconds wait;
  };
  PluginHost host(options());
  auto p = host.create_provider("acme", "good", plugin("ttb_test_good"),
                                {{"base_url", "https://vendor.test"}})
               .provider;
  ASSERT_TRUE(p);
  for (const Case& c : {Case{429, "3", CallStatus::rate_limited, 3000ms},
                        Case{503, "5", CallStatus::vendor_unavailable, 5000ms}}) {
    http->reply.status = c.http_status;
    http->reply.headers = {{"Retry-After", c.retry_after}};
    auto r = get(p->create_order(R"({"order_id":"pr_1"})"));
    EXPECT_EQ(r.status, c.status) << c.http_status;
    ASSERT_TRUE(r.retry_after) << c.http_status;
    EXPECT_EQ(*r.retry_after, c.wait) << c.http_status;
  }
}

TEST_F(PluginHostTest, TransportFailureIsVendorUnavailable) {
  http->reply.status = 0;
  http->reply.error = "connection refused";
  std::atomic<int> observed{0};
  auto o = options();
  o.on_http = [&](const HttpCallRecord& rec) {
    if (rec.transport_failed && rec.plugin == "good" && rec.tenant == "acme") ++observed;
  };
  PluginHost host(o);
  auto p = host.create_provider("acme", "good", plugin("ttb_test_good"),
                                {{"base_url", "https://vendor.test"}})
               .provider;
  auto r = get(p->create_order(R"({"order_id":"pr_1"})"));
  EXPECT_EQ(r.status, CallStatus::vendor_unavailable);
  EXPECT_EQ(observed.load(), 1) << "the metrics seam sees each request";
}

TEST_F(PluginHostTest, HandleCallbackPassesTheRawRequest) {
  PluginHost host(options());
  auto p =
      host.create_provider("acme", "good", plugin("ttb_test_good"), {{"token", "tok"}}).provider;
  CallbackRequest req;
  req.method = "POST";
  req.headers = {{"x-token", "tok"}};
  req.body = R"({"id":"evt_1","order":"v_1"})";
  auto r = get(p->handle_callback(req));
  ASSERT_EQ(r.status, CallStatus::ok) << r.detail;
  auto j = nlohmann::json::parse(r.json);
  EXPECT_EQ(j["reply"]["status"], 200);
  EXPECT_EQ(j["event_id"], "evt_1");
  EXPECT_EQ(j["updates"][0]["vendor_order_id"], "v_1");
  req.headers = {};
  EXPECT_EQ(nlohmann::json::parse(get(p->handle_callback(req)).json)["reply"]["status"], 401);
}

TEST_F(PluginHostTest, CallsIntoOneInstanceAreSerialized) {
  // The good plugin keeps no locks; many concurrent calls must still all complete (and TSan,
  // when enabled, would flag concurrent entry).
  PluginHost host(options());
  auto p = host.create_provider("acme", "good", plugin("ttb_test_good"), nlohmann::json::object())
               .provider;
  std::vector<std::future<CallResult>> fs;
  fs.reserve(200);
  for (int i = 0; i < 200; ++i) fs.push_back(p->fetch_order(R"({"vendor_order_id":"v"})"));
  for (auto& f : fs) EXPECT_EQ(get(std::move(f)).status, CallStatus::ok);
}

TEST_F(PluginHostTest, PendingCallsEndCancelledWhenTheHostStops) {
  std::future<CallResult> f;
  std::shared_ptr<Provider> p;
  {
    PluginHost host(options(60s));
    p = host.create_provider("acme", "s", plugin("ttb_test_silent"), nlohmann::json::object())
            .provider;
    f = p->list_tests();
  }
  ASSERT_EQ(f.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(f.get().status, CallStatus::cancelled);
}

TEST(CallStatusTest, MapsAbiCodesAndTreatsUnknownAsInternal) {
  EXPECT_EQ(call_status_from_abi(TTB_STATUS_RATE_LIMITED), CallStatus::rate_limited);
  EXPECT_EQ(call_status_from_abi(99), CallStatus::internal);
  EXPECT_STREQ(to_string(CallStatus::vendor_unavailable), "vendor_unavailable");
  EXPECT_FALSE(is_retryable(CallStatus::auth));
  // A process that died during a call is retried; the job, not the status, counts the deaths.
  EXPECT_TRUE(is_retryable(CallStatus::crashed));
  EXPECT_STREQ(to_string(CallStatus::crashed), "crashed");
}

}  // namespace
}  // namespace ttb::plugins
