// Plugins in ttb-plugin-host children, through RemoteProvider against a real child: the same
// answers as in process, HTTP and logs through the daemon, and supervision: a crash ends its
// calls as `crashed` and the child comes back, a hung call times out and restarts the child, a
// plugin that keeps dying is quarantined until released, and the child ends with its host.
// Creates started together (start_provider) are each answered with their own result, and one
// that hangs fails alone.

#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <mutex>
#include <sstream>
#include <thread>

#include "host_test_support.h"
#include "plugins/isolation/frame.h"
#include "plugins/isolation/isolated_host.h"
#include "plugins/isolation/remote_provider.h"

namespace ttb::plugins::isolation {
namespace {

using namespace std::chrono_literals;

using test_support::eventually;
using test_support::FakeHttp;
using test_support::get;
using test_support::Logs;
using test_support::plugin;

// The line of /proc/<pid>/<file> that starts with `prefix` ("" when there is none).
std::string proc_line(pid_t pid, const char* file, const std::string& prefix) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/" + file);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(prefix, 0) == 0) return line;
  return "";
}

// The soft limit column of /proc/<pid>/limits for the row `name` ("Max open files", ...).
std::string soft_limit(pid_t pid, const std::string& name) {
  std::istringstream row(proc_line(pid, "limits", name).substr(name.size()));
  std::string soft;
  row >> soft;
  return soft;
}

// The plugins (file stems) whose quarantines a reload lifted.
std::vector<std::string> plugins_of(const LiftedQuarantines& lifted) {
  std::vector<std::string> out;
  for (const auto& p : lifted.processes) out.push_back(p->plugin());
  return out;
}

pid_t child_of(const std::shared_ptr<Provider>& p) {
  return dynamic_cast<const RemoteProvider&>(*p).process().pid();
}

class IsolatedHostTest : public ::testing::Test {
 protected:
  IsolationOptions options(std::chrono::milliseconds timeout = 10s) {
    IsolationOptions o;
    o.host.http = http;
    o.host.call_timeout = timeout;
    o.host.log = [this](const HostLogRecord& r) { logs.add(r); };
    o.policy.first_backoff = 10ms;
    o.on_event = [this](const ProcessEvent& e) {
      if (e.kind == ProcessEvent::Kind::quarantined) ++quarantines;
      if (e.kind == ProcessEvent::Kind::died) {
        ++died;
        std::lock_guard lock(reasons_mu);
        reasons.push_back(e.reason);
      }
    };
    return o;
  }
  std::shared_ptr<Provider> make(IsolatedHost& host, const char* file,
                                 const nlohmann::json& config = nlohmann::json::object()) {
    auto r = host.create_provider("acme", "p", plugin(file), config);
    EXPECT_TRUE(r.provider) << r.error;
    return r.provider;
  }
  // Two callbacks the segv plugin crashes on: a quarantine with policy.max_deaths 2.
  static void crash_twice(Provider& segv) {
    CallbackRequest bad;
    bad.body = "x";
    EXPECT_EQ(get(segv.handle_callback(bad)).status, CallStatus::crashed);
    EXPECT_EQ(get(segv.handle_callback(bad)).status, CallStatus::crashed);
  }
  std::shared_ptr<FakeHttp> http = std::make_shared<FakeHttp>();
  Logs logs;
  std::atomic<int> quarantines{0};
  std::atomic<int> died{0};
  std::vector<std::string> death_reasons() {
    std::lock_guard lock(reasons_mu);
    return reasons;
  }
  std::mutex reasons_mu;
  std::vector<std::string> reasons;  // of each death, in order
};

TEST_F(IsolatedHostTest, RunsThePluginInAChildWithItsIdentity) {
  IsolatedHost host(options());
  auto p = make(host, "ttb_test_good", {{"api_key", "k"}});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->tenant(), "acme");
  EXPECT_EQ(p->plugin_name(), "good");
  EXPECT_EQ(p->plugin_version(), "1.2.3");
  EXPECT_TRUE(p->supports_fetch_order());
  EXPECT_FALSE(p->supports_cancel_order());
  EXPECT_TRUE(p->supports_run_action());
  EXPECT_GT(child_of(p), 0);
  EXPECT_NE(child_of(p), ::getpid());
  auto r = get(p->list_tests());
  ASSERT_EQ(r.status, CallStatus::ok) << r.detail;
  EXPECT_EQ(nlohmann::json::parse(r.json)["tests"][0]["id"], "t1");
  EXPECT_TRUE(eventually([&] { return logs.contains_text("listing tests"); }))
      << "the plugin's log reaches the daemon's log";
  EXPECT_EQ(get(p->cancel_order("{}")).status, CallStatus::unsupported);
}

TEST_F(IsolatedHostTest, CreateFailureShowsThePluginsMessage) {
  IsolatedHost host(options());
  auto r =
      host.create_provider("acme", "cf", plugin("ttb_test_create_fails"), nlohmann::json::object());
  ASSERT_FALSE(r.provider);
  EXPECT_NE(r.error.find("tenant acme, provider cf"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("config needs \"api_key\""), std::string::npos) << r.error;
}

TEST_F(IsolatedHostTest, AMissingHostBinaryIsNamedInTheError) {
  auto o = options();
  o.host_binary = "/nonexistent/ttb-plugin-host";
  IsolatedHost host(o);
  auto r = host.create_provider("acme", "g", plugin("ttb_test_good"), nlohmann::json::object());
  ASSERT_FALSE(r.provider);
  EXPECT_NE(r.error.find("/nonexistent/ttb-plugin-host"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("isolation: inproc"), std::string::npos) << r.error;
}

TEST_F(IsolatedHostTest, HttpGoesThroughTheDaemonsClient) {
  http->reply.status = 201;
  http->reply.body = R"({"id":"v_9","token":"per-order"})";
  IsolatedHost host(options());
  auto p = make(host, "ttb_test_good",
                {{"api_key", "sk_live_SECRET"}, {"base_url", "https://vendor.test/v1"}});
  ASSERT_TRUE(p);
  auto r = get(p->create_order(R"({"order_id":"pr_1"})"));
  ASSERT_EQ(r.status, CallStatus::ok) << r.detail;
  EXPECT_EQ(nlohmann::json::parse(r.json)["vendor_order_id"], "v_9");
  std::lock_guard lock(http->mu);
  ASSERT_EQ(http->requests.size(), 1u);
  EXPECT_EQ(http->requests[0].url, "https://vendor.test/v1/orders");
  EXPECT_EQ(net::find_header(http->requests[0].headers, "authorization"), "Bearer sk_live_SECRET");
  EXPECT_TRUE(logs.any("plugin_http")) << "at the default level the child sends its debug line";
}

// The child's frame is not trusted: a plugin may write its own, asking the daemon to buffer a
// vendor's answer of any size in the daemon's memory. The daemon's bounds apply, whatever it asks.
TEST_F(IsolatedHostTest, TheChildsRequestIsBoundedByTheDaemonsLimits) {
  http->reply.status = 201;
  http->reply.body = R"({"id":"v_9"})";
  auto o = options();
  o.host.max_response_bytes = 1000;  // the child keeps its defaults: 8 MiB, 60 s at most
  o.host.http_max_timeout = 2s;
  IsolatedHost host(o);
  auto p = make(host, "ttb_test_good", {{"api_key", "k"}, {"base_url", "https://vendor.test"}});
  ASSERT_TRUE(p);
  ASSERT_EQ(get(p->create_order(R"({"order_id":"pr_1"})")).status, CallStatus::ok);
  std::lock_guard lock(http->mu);
  ASSERT_EQ(http->requests.size(), 1u);
  EXPECT_EQ(http->requests[0].max_response_bytes, 1000u);
  EXPECT_EQ(http->requests[0].timeout, 2s);
}

// The daemon's own client answers in a callback (net::make_async_http_client): the child's
// request is handed to it from the reader, and no pool of threads is kept to wait on vendors.
TEST_F(IsolatedHostTest, AnAsynchronousClientTakesTheChildsRequestsWithoutAThreadPool) {
  struct AsyncHttp : FakeHttp {
    bool sends_async() const override { return true; }
    void send_async(net::ClientRequest request,
                    std::function<void(net::ClientResponse)> done) override {
      ++async_sends;
      answering = std::thread(
          [this, request = std::move(request), done = std::move(done)] { done(send(request)); });
    }
    ~AsyncHttp() override {
      if (answering.joinable()) answering.join();
    }
    std::atomic<int> async_sends{0};
    std::thread answering;
  };
  auto async_http = std::make_shared<AsyncHttp>();
  async_http->reply.status = 201;
  async_http->reply.body = R"({"id":"v_9"})";
  IsolationOptions o = options();
  o.host.http = async_http;
  IsolatedHost host(o);
  auto p = make(host, "ttb_test_good", {{"api_key", "k"}, {"base_url", "https://vendor.test/v1"}});
  ASSERT_TRUE(p);
  auto r = get(p->create_order(R"({"order_id":"pr_1"})"));
  ASSERT_EQ(r.status, CallStatus::ok) << r.detail;
  EXPECT_EQ(nlohmann::json::parse(r.json)["vendor_order_id"], "v_9");
  EXPECT_EQ(async_http->async_sends.load(), 1);
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    EXPECT_NE(proc_line(std::stoi(task.path().filename().string()), "comm", ""), "ttb-plugin-http")
        << "a pool thread waits on vendors";
  }
}

// The daemon holds a socket and the answer of each plugin HTTP request a child sends: past the
// cap a request is refused at once (the plugin sees its vendor unavailable), the ones out go on,
// and their answers make room again.
TEST_F(IsolatedHostTest, AChildsHttpRequestsOutAtOnceAreCapped) {
  struct HeldHttp : net::HttpClient {
    net::ClientResponse send(const net::ClientRequest&) override { return {}; }
    bool sends_async() const override { return true; }
    void send_async(net::ClientRequest, std::function<void(net::ClientResponse)> done) override {
      std::lock_guard lock(mu);
      held.push_back(std::move(done));
    }
    std::size_t out() {
      std::lock_guard lock(mu);
      return held.size();
    }
    void answer_all() {
      std::vector<std::function<void(net::ClientResponse)>> answering;
      {
        std::lock_guard lock(mu);
        answering.swap(held);
      }
      for (auto& done : answering) {
        net::ClientResponse response;
        response.status = 201;
        response.body = R"({"id":"v_1"})";
        done(std::move(response));
      }
    }
    std::mutex mu;
    std::vector<std::function<void(net::ClientResponse)>> held;
  };
  auto http_out = std::make_shared<HeldHttp>();
  IsolationOptions o = options();
  o.host.http = http_out;
  o.policy.max_http_in_flight = 3;
  IsolatedHost host(o);
  auto p = make(host, "ttb_test_good", {{"api_key", "k"}, {"base_url", "https://vendor.test/v1"}});
  ASSERT_TRUE(p);
  auto order = [&](int i) {
    return p->create_order(R"({"order_id":"pr_)" + std::to_string(i) + R"("})");
  };
  std::vector<std::future<CallResult>> calls;
  for (int i = 0; i < 5; ++i) calls.push_back(order(i));
  ASSERT_TRUE(eventually([&] { return http_out->out() == 3; }));
  auto answered = [&] {
    return std::count_if(calls.begin(), calls.end(), [](const std::future<CallResult>& c) {
      return c.wait_for(0s) == std::future_status::ready;
    });
  };
  ASSERT_TRUE(eventually([&] { return answered() == 2; })) << "the two past the cap, at once";
  EXPECT_EQ(http_out->out(), 3U);
  EXPECT_TRUE(logs.contains_text("HTTP requests out already"));
  int refused = 0;
  for (auto& c : calls) {
    if (c.wait_for(0s) != std::future_status::ready) continue;
    EXPECT_EQ(c.get().status, CallStatus::vendor_unavailable);
    ++refused;
  }
  EXPECT_EQ(refused, 2);
  http_out->answer_all();
  for (auto& c : calls) {
    if (c.valid()) {
      EXPECT_EQ(get(std::move(c)).status, CallStatus::ok);
    }
  }
  auto again = order(9);
  ASSERT_TRUE(eventually([&] { return http_out->out() == 1; })) << "answers made room";
  http_out->answer_all();
  EXPECT_EQ(get(std::move(again)).status, CallStatus::ok);

  // The cap is each child's: requests a dead child left out do not hold its successor back.
  calls.clear();
  for (int i = 10; i < 13; ++i) calls.push_back(order(i));
  ASSERT_TRUE(eventually([&] { return http_out->out() == 3; }));
  const pid_t first = child_of(p);
  ASSERT_EQ(::kill(first, SIGKILL), 0);
  for (auto& c : calls) EXPECT_EQ(get(std::move(c)).status, CallStatus::crashed);
  ASSERT_TRUE(eventually([&] { return child_of(p) > 0 && child_of(p) != first; }));
  auto after = order(20);
  ASSERT_TRUE(eventually([&] { return http_out->out() == 4; })) << "sent, not refused";
  http_out->answer_all();  // the dead child's answers go nowhere
  EXPECT_EQ(get(std::move(after)).status, CallStatus::ok);
}

// The daemon's plugin client answers every child from its one thread. A child that stopped
// reading its socket must not hold that thread: another child's answer still goes out, and the
// stopped child gets its whole answer once it reads again.
TEST_F(IsolatedHostTest, AChildThatStopsReadingHoldsUpNoOtherChild) {
  // Answers on one thread, in the order asked, once `answering` is set.
  struct OneThreadHttp : net::HttpClient {
    net::ClientResponse send(const net::ClientRequest&) override { return {}; }
    bool sends_async() const override { return true; }
    void send_async(net::ClientRequest request,
                    std::function<void(net::ClientResponse)> done) override {
      std::lock_guard lock(mu);
      queue.emplace_back(std::move(request), std::move(done));
      ++arrived;
      cv.notify_all();
    }
    void answer_from_now_on() {
      std::lock_guard lock(mu);
      answering = true;
      cv.notify_all();
    }
    void run() {
      std::unique_lock lock(mu);
      for (;;) {
        cv.wait(lock, [&] { return stopping || (answering && !queue.empty()); });
        if (stopping) return;
        auto [request, done] = std::move(queue.front());
        queue.pop_front();
        lock.unlock();
        net::ClientResponse response;
        response.status = 201;
        // Many times what a socket holds, for the child that stopped reading.
        const bool big = request.url.find("://a.test") != std::string::npos;
        response.body = nlohmann::json{{"id", big ? "v_a" : "v_b"},
                                       {"pad", std::string(big ? 2 * 1024 * 1024 : 0, 'x')}}
                            .dump();
        done(std::move(response));
        lock.lock();
      }
    }
    ~OneThreadHttp() override {
      {
        std::lock_guard lock(mu);
        stopping = true;
        cv.notify_all();
      }
      if (thread.joinable()) thread.join();
    }
    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::pair<net::ClientRequest, std::function<void(net::ClientResponse)>>> queue;
    int arrived = 0;
    bool answering = false;
    bool stopping = false;
    std::thread thread;
  };
  auto one_thread = std::make_shared<OneThreadHttp>();
  one_thread->thread = std::thread([h = one_thread.get()] { h->run(); });
  IsolationOptions o = options();
  o.host.http = one_thread;
  IsolatedHost host(o);
  auto a = host.create_provider("acme", "a", plugin("ttb_test_good"),
                                {{"api_key", "k"}, {"base_url", "https://a.test/v1"}}, "a");
  auto b = host.create_provider("acme", "b", plugin("ttb_test_good"),
                                {{"api_key", "k"}, {"base_url", "https://b.test/v1"}}, "b");
  ASSERT_TRUE(a.provider && b.provider) << a.error << b.error;
  const pid_t child_a = child_of(a.provider);
  ASSERT_NE(child_a, child_of(b.provider));

  auto order_a = a.provider->create_order(R"({"order_id":"pr_a"})");
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(one_thread->mu);
    return one_thread->arrived == 1;
  }));
  ASSERT_EQ(::kill(child_a, SIGSTOP), 0);
  struct Resume {
    pid_t pid;
    ~Resume() { ::kill(pid, SIGCONT); }
  } resume{child_a};
  one_thread->answer_from_now_on();  // a's answer first, into a socket nobody reads

  CallResult result_b = get(b.provider->create_order(R"({"order_id":"pr_b"})"));
  ASSERT_EQ(result_b.status, CallStatus::ok) << result_b.detail;
  EXPECT_EQ(nlohmann::json::parse(result_b.json)["vendor_order_id"], "v_b");

  ASSERT_EQ(::kill(child_a, SIGCONT), 0);
  CallResult result_a = get(std::move(order_a));
  ASSERT_EQ(result_a.status, CallStatus::ok) << result_a.detail;
  EXPECT_EQ(nlohmann::json::parse(result_a.json)["vendor_order_id"], "v_a");
}

TEST_F(IsolatedHostTest, TheChildSendsNoLineBelowTheDaemonsLevel) {
  http->reply.status = 201;
  http->reply.body = R"({"id":"v_9"})";
  auto o = options();
  o.host.log_level = LogLevel::info;
  IsolatedHost host(o);
  auto p = make(host, "ttb_test_good", {{"api_key", "k"}, {"base_url", "https://vendor.test/v1"}});
  ASSERT_TRUE(p);
  ASSERT_EQ(get(p->list_tests()).status, CallStatus::ok);
  ASSERT_EQ(get(p->create_order(R"({"order_id":"pr_1"})")).status, CallStatus::ok);
  // The child sends a call's lines before its answer, on the same socket: by now they are here.
  EXPECT_TRUE(logs.contains_text("listing tests")) << "an info line still crosses";
  EXPECT_FALSE(logs.any("plugin_http")) << "the debug line of the HTTP call did not";
}

TEST_F(IsolatedHostTest, HandleCallbackPassesTheRawRequest) {
  IsolatedHost host(options());
  auto p = make(host, "ttb_test_good", {{"token", "tok"}});
  ASSERT_TRUE(p);
  CallbackRequest req;
  req.method = "POST";
  req.headers = {{"x-token", "tok"}};
  req.body = R"({"id":"evt_1","order":"v_1"})";
  auto r = get(p->handle_callback(req));
  ASSERT_EQ(r.status, CallStatus::ok) << r.detail;
  EXPECT_EQ(nlohmann::json::parse(r.json)["event_id"], "evt_1");
}

// Frames the child's decoder would refuse are not sent: one would break its stream, and with it
// every call in flight on that child, of every tenant.
TEST_F(IsolatedHostTest, WhatTheChildCouldNotReadIsRefusedAndTheChildLivesOn) {
  http->reply.status = 200;
  for (int i = 0; i < 3000; ++i) http->reply.headers.emplace_back("X-" + std::to_string(i), "1");
  IsolatedHost host(options());
  auto p = make(host, "ttb_test_good", {{"api_key", "k"}, {"token", "tok"}});
  ASSERT_TRUE(p);
  const pid_t child = child_of(p);

  // A vendor's answer with more headers than a frame carries: a failed request for the plugin.
  auto answered = get(p->create_order(R"({"order_id":"pr_1"})"));
  EXPECT_EQ(answered.status, CallStatus::vendor_unavailable) << answered.detail;

  // A callback larger than a frame (server.max_body_bytes may be set past it): refused.
  CallbackRequest huge;
  huge.method = "POST";
  huge.headers = {{"x-token", "tok"}};
  huge.body = std::string(kMaxFrameBytes + 1, 'x');
  auto refused = get(p->handle_callback(huge));
  EXPECT_EQ(refused.status, CallStatus::invalid);
  EXPECT_NE(refused.detail.find("too large"), std::string::npos) << refused.detail;

  EXPECT_EQ(child_of(p), child);
  EXPECT_FALSE(logs.any("plugin_process_died"));
  EXPECT_EQ(get(p->list_tests()).status, CallStatus::ok);
}

TEST_F(IsolatedHostTest, ThrowsIsInternalAndASecondCompletionIsIgnored) {
  IsolatedHost host(options());
  auto t = make(host, "ttb_test_throws");
  auto tw = make(host, "ttb_test_twice");
  ASSERT_TRUE(t && tw);
  auto r = get(t->create_order("{}"));
  EXPECT_EQ(r.status, CallStatus::internal);
  EXPECT_EQ(r.detail, "boom in create_order");
  EXPECT_EQ(get(tw->list_tests()).status, CallStatus::ok) << "the first completion wins";
  EXPECT_TRUE(eventually([&] { return logs.any("plugin_late_completion"); }));
  EXPECT_EQ(get(tw->list_tests()).status, CallStatus::ok);
}

TEST_F(IsolatedHostTest, ACrashEndsTheCallAsCrashedAndTheChildComesBack) {
  IsolatedHost host(options());
  auto p = make(host, "ttb_test_segv");
  ASSERT_TRUE(p);
  const pid_t first = child_of(p);
  CallbackRequest bad;
  bad.method = "POST";
  bad.body = "not json";  // the plugin writes through NULL
  auto r = get(p->handle_callback(bad));
  EXPECT_EQ(r.status, CallStatus::crashed);
  EXPECT_TRUE(is_retryable(r.status));
  EXPECT_NE(r.detail.find("SIGSEGV"), std::string::npos) << r.detail;
  EXPECT_TRUE(eventually([&] { return logs.any("plugin_process_died"); }));
  auto again = get(p->list_tests());
  EXPECT_EQ(again.status, CallStatus::ok) << again.detail << ": the instance was created again";
  EXPECT_NE(child_of(p), first);
}

TEST_F(IsolatedHostTest, AHungCallTimesOutRestartsItsChildAndHoldsNoOtherPlugin) {
  IsolatedHost host(options(2s));
  auto hung = make(host, "ttb_test_blocks");
  auto good = make(host, "ttb_test_good");
  ASSERT_TRUE(hung && good);
  const pid_t first = child_of(hung);
  auto waiting = hung->list_tests();  // never returns by itself
  EXPECT_EQ(get(good->list_tests()).status, CallStatus::ok) << "another child keeps serving";
  auto r = get(std::move(waiting));
  EXPECT_EQ(r.status, CallStatus::timeout);
  EXPECT_TRUE(eventually([&] { return logs.any("plugin_call_timeout"); }));
  // The restarted child answers (a call made while it starts waits for it, within its deadline).
  EXPECT_TRUE(
      eventually([&] { return get(hung->create_order("{}")).status == CallStatus::invalid; }));
  EXPECT_NE(child_of(hung), first);
}

TEST_F(IsolatedHostTest, APluginThatKeepsCrashingIsQuarantinedUntilReleased) {
  auto o = options();
  o.policy.max_deaths = 2;
  IsolatedHost host(o);
  auto p = make(host, "ttb_test_segv");
  ASSERT_TRUE(p);
  crash_twice(*p);
  EXPECT_TRUE(eventually([&] { return quarantines.load() == 1; }));
  EXPECT_TRUE(logs.any("plugin_quarantined"));
  auto r = get(p->list_tests());
  EXPECT_EQ(r.status, CallStatus::vendor_unavailable) << "fails fast, and retryable";
  EXPECT_NE(r.detail.find("quarantined"), std::string::npos) << r.detail;
  EXPECT_EQ(host.quarantined(), std::vector<std::string>{"ttb_test_segv"});
  EXPECT_EQ(plugins_of(host.release_quarantines()), std::vector<std::string>{"ttb_test_segv"});
  EXPECT_EQ(get(p->list_tests()).status, CallStatus::ok) << "a reload gives it a fresh child";
  EXPECT_TRUE(host.quarantined().empty());
}

// A reload that fails after lifting the quarantine puts it back: the fresh child is stopped
// without counting as a death, and calls fail fast again until a reload that works.
TEST_F(IsolatedHostTest, AFailedReloadPutsTheQuarantineBack) {
  auto o = options();
  o.policy.max_deaths = 2;
  IsolatedHost host(o);
  auto p = make(host, "ttb_test_segv");
  ASSERT_TRUE(p);
  crash_twice(*p);
  ASSERT_TRUE(eventually([&] { return host.quarantined().size() == 1; }));
  const LiftedQuarantines lifted = host.release_quarantines();
  ASSERT_EQ(plugins_of(lifted), std::vector<std::string>{"ttb_test_segv"});
  EXPECT_EQ(get(p->list_tests()).status, CallStatus::ok);
  const pid_t fresh = child_of(p);
  ASSERT_GT(fresh, 0);
  const int deaths = died.load();
  lifted.restore();
  EXPECT_EQ(host.quarantined(), std::vector<std::string>{"ttb_test_segv"});
  auto r = get(p->list_tests());
  EXPECT_EQ(r.status, CallStatus::vendor_unavailable) << r.detail;
  EXPECT_NE(r.detail.find("quarantined"), std::string::npos) << r.detail;
  EXPECT_EQ(::kill(fresh, 0), -1) << "the fresh child is stopped and reaped";
  EXPECT_EQ(died.load(), deaths) << "stopping it is not a death";
  EXPECT_TRUE(logs.any("plugin_quarantine_kept"));
  EXPECT_EQ(plugins_of(host.release_quarantines()), std::vector<std::string>{"ttb_test_segv"});
  EXPECT_EQ(get(p->list_tests()).status, CallStatus::ok) << "the next reload releases it";
}

// A reload lifts the quarantine while the death that caused it is still being reported: the
// reload waits for the plugin's life thread, which returns as its death quarantined the plugin
// (it read the flag again, found it lifted, and went on restarting children: the reload hung).
TEST_F(IsolatedHostTest, AReloadDuringTheQuarantinesReportDoesNotHang) {
  std::promise<void> gate;
  std::shared_future<void> opened = gate.get_future().share();
  auto o = options();
  o.policy.max_deaths = 1;
  o.on_event = [opened](const ProcessEvent& e) {
    if (e.kind == ProcessEvent::Kind::quarantined) opened.wait();
  };
  IsolatedHost host(o);
  auto p = make(host, "ttb_test_segv");
  ASSERT_TRUE(p);
  CallbackRequest bad;
  bad.body = "x";
  EXPECT_EQ(get(p->handle_callback(bad)).status, CallStatus::crashed);
  ASSERT_TRUE(eventually([&] { return !host.quarantined().empty(); }));
  auto reload = std::async(std::launch::async, [&] { return host.release_quarantines(); });
  ASSERT_TRUE(eventually([&] { return host.quarantined().empty(); }));
  gate.set_value();
  ASSERT_EQ(reload.wait_for(10s), std::future_status::ready) << "the reload hung";
  EXPECT_EQ(plugins_of(reload.get()), std::vector<std::string>{"ttb_test_segv"});
  EXPECT_EQ(get(p->list_tests()).status, CallStatus::ok) << "a fresh child";
}

// A plugin in a child can write frames of its own on the child's socket. Its log lines reach the
// daemon's log, but bounded, under a plugin event, and attributed only to providers the child
// runs.
TEST_F(IsolatedHostTest, ALogLineAPluginForgesIsBoundedAndCannotSpeakForOthers) {
  IsolatedHost host(options());
  auto p = make(host, "ttb_test_forges_log");
  ASSERT_TRUE(p);
  CallbackRequest forged;
  forged.body = "3\nplugin_quarantined\nglobex\ncheckr\nsupervisor\n<8388608 a>";
  EXPECT_EQ(get(p->handle_callback(forged)).status, CallStatus::invalid);
  CallbackRequest honest;  // names its own tenant and provider
  honest.body = "1\nplugin_log\nacme\np\nforges_log\nhello";
  EXPECT_EQ(get(p->handle_callback(honest)).status, CallStatus::invalid);
  // A provider of the same child, destroyed since (a reload removed it): a line may still come
  // for it, and keeps its name.
  auto other = host.create_provider("acme", "gone", plugin("ttb_test_forges_log"), {});
  ASSERT_TRUE(other.provider) << other.error;
  other.provider.reset();
  CallbackRequest late;
  late.body = "1\nplugin_log\nacme\ngone\nforges_log\nbye";
  EXPECT_EQ(get(p->handle_callback(late)).status, CallStatus::invalid);
  std::vector<HostLogRecord> lines;
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(logs.mu);
    lines = logs.lines;
    return std::count_if(lines.begin(), lines.end(), [](const HostLogRecord& r) {
             return r.message == "hello" || r.message == "bye" ||
                    r.message.find("[plugin_quarantined]") != std::string::npos;
           }) == 3;
  }));
  for (const HostLogRecord& r : lines) {
    EXPECT_NE(r.event, "plugin_quarantined") << r.message.substr(0, 200);
    EXPECT_LE(r.message.size(), 20U * 1024) << r.event;
    if (r.message.find("[plugin_quarantined]") != std::string::npos) {
      EXPECT_EQ(r.event, "plugin_log");
      EXPECT_TRUE(r.tenant.empty() && r.provider.empty()) << r.tenant << "/" << r.provider;
      EXPECT_NE(r.message.find("named tenant globex, provider checkr"), std::string::npos)
          << r.message.substr(0, 200);
      EXPECT_NE(r.message.find("[named plugin supervisor]"), std::string::npos)
          << r.message.substr(0, 200);
      EXPECT_EQ(r.plugin, "forges_log") << "the plugin the child runs";
      EXPECT_NE(r.message.find("bytes cut]"), std::string::npos);
    }
    if (r.message == "hello" || r.message == "bye") {
      EXPECT_EQ(r.tenant, "acme");
      EXPECT_EQ(r.provider, r.message == "hello" ? "p" : "gone");
      EXPECT_EQ(r.plugin, "forges_log");
    }
  }
  EXPECT_EQ(get(p->list_tests()).status, CallStatus::ok) << "the child serves on";
}

// A provider destroyed while a fresh child re-creates the instances (a reload during a restart):
// its instance ends in that child too, instead of living on there with the removed config.
TEST_F(IsolatedHostTest, AProviderDestroyedWhileItsChildRestartsEndsInTheNewChild) {
  IsolatedHost host(options());
  const std::string file = plugin("ttb_test_forges_log");
  auto slow =
      host.create_provider("acme", "slow", file, {{"name", "slow"}, {"create_sleep_ms", 1500}});
  auto gone = host.create_provider("acme", "gone", file, {{"name", "gone"}});
  ASSERT_TRUE(slow.provider && gone.provider) << slow.error << gone.error;
  const pid_t first = child_of(gone.provider);
  ASSERT_EQ(::kill(first, SIGKILL), 0);
  // The next child re-creates "slow" first, which takes 1.5 s; "gone" goes meanwhile.
  ASSERT_TRUE(eventually([&] {
    const pid_t now = child_of(gone.provider);
    return now > 0 && now != first;
  }));
  gone.provider.reset();
  EXPECT_TRUE(eventually([&] { return logs.contains_text("destroyed gone"); }));
  EXPECT_FALSE(logs.contains_text("destroyed slow"));
  EXPECT_FALSE(logs.any("plugin_instance_recreate_failed"));
}

TEST_F(IsolatedHostTest, TheChildEndsWithItsHost) {
  pid_t child = -1;
  {
    IsolatedHost host(options());
    auto p = make(host, "ttb_test_good");
    ASSERT_TRUE(p);
    child = child_of(p);
    ASSERT_GT(child, 0);
  }
  EXPECT_EQ(::kill(child, 0), -1) << "reaped";
  EXPECT_EQ(errno, ESRCH);
}

TEST_F(IsolatedHostTest, ProvidersOfOnePluginShareAChildUnlessGrouped) {
  IsolatedHost host(options());
  auto a = host.create_provider("acme", "a", plugin("ttb_test_good"), nlohmann::json::object());
  auto b = host.create_provider("beta", "b", plugin("ttb_test_good"), nlohmann::json::object());
  auto c =
      host.create_provider("gamma", "c", plugin("ttb_test_good"), nlohmann::json::object(), "slow");
  ASSERT_TRUE(a.provider && b.provider && c.provider);
  EXPECT_EQ(child_of(a.provider), child_of(b.provider));
  EXPECT_NE(child_of(a.provider), child_of(c.provider));
  EXPECT_EQ(get(b.provider->list_tests()).status, CallStatus::ok);
}

TEST_F(IsolatedHostTest, TheChildRunsConfinedAsConfigured) {
  IsolationOptions o = options();
  o.confinement.cpu_seconds = 1234;
  o.confinement.open_files = 100;
  IsolatedHost host(o);
  auto p = make(host, "ttb_test_good");
  ASSERT_TRUE(p);
  const pid_t child = child_of(p);
  EXPECT_EQ(proc_line(child, "status", "NoNewPrivs:"), "NoNewPrivs:\t1");
  EXPECT_EQ(proc_line(child, "status", "Seccomp:"), "Seccomp:\t2");
  EXPECT_EQ(soft_limit(child, "Max open files"), "100");
  EXPECT_EQ(soft_limit(child, "Max cpu time"), "1234");
  EXPECT_EQ(get(p->list_tests()).status, CallStatus::ok) << "the confined child still serves";

  IsolationOptions open = options();
  open.confinement.seccomp = false;
  IsolatedHost unfiltered(open);
  auto q = make(unfiltered, "ttb_test_good");
  ASSERT_TRUE(q);
  EXPECT_EQ(proc_line(child_of(q), "status", "Seccomp:"), "Seccomp:\t0");
  EXPECT_EQ(soft_limit(child_of(q), "Max open files"), "256") << "the default";
}

TEST_F(IsolatedHostTest, CreatesInFlightTogetherAreEachAnsweredWithTheirOwnResult) {
  IsolatedHost host(options());
  constexpr int kProviders = 40;
  std::vector<PendingProvider> started;
  for (int i = 0; i < kProviders; ++i) {
    // Every fifth has a config the plugin refuses (not an object).
    const nlohmann::json config =
        i % 5 == 4 ? nlohmann::json::array({1}) : nlohmann::json{{"api_key", "k"}};
    // Appended, not "p" + std::to_string(i): GCC 12 at -O3 flags that with a false -Wrestrict.
    std::string name = "p";
    name += std::to_string(i);
    started.push_back(host.start_provider("acme", name, plugin("ttb_test_good"), config));
  }
  pid_t child = -1;
  for (int i = 0; i < kProviders; ++i) {
    CreateProviderResult made = started[i].wait();
    std::string name = "p";
    name += std::to_string(i);
    if (i % 5 == 4) {
      EXPECT_FALSE(made.provider) << name;
      EXPECT_EQ(made.error.rfind("tenant acme, provider " + name + ": ", 0), 0U) << made.error;
      EXPECT_NE(made.error.find("config"), std::string::npos) << made.error;
      continue;
    }
    ASSERT_TRUE(made.provider) << name << ": " << made.error;
    EXPECT_EQ(made.provider->name(), name);
    EXPECT_EQ(get(made.provider->list_tests()).status, CallStatus::ok) << name;
    if (child < 0) child = child_of(made.provider);
    EXPECT_EQ(child_of(made.provider), child) << "one child creates them all";
  }
}

TEST_F(IsolatedHostTest, ACreateThatHangsFailsAloneAndThoseBehindItGoToTheNextChild) {
  auto o = options();
  o.policy.create_timeout = 1s;
  IsolatedHost host(o);
  const std::string blocks = plugin("ttb_test_blocks");
  PendingProvider hung =
      host.start_provider("acme", "hung", blocks, nlohmann::json{{"hang_in_create", true}});
  PendingProvider behind1 = host.start_provider("acme", "b1", blocks, nlohmann::json::object());
  PendingProvider behind2 = host.start_provider("acme", "b2", blocks, nlohmann::json::object());
  CreateProviderResult failed = hung.wait();
  EXPECT_FALSE(failed.provider);
  EXPECT_EQ(failed.error,
            "tenant acme, provider hung: the plugin process did not create the instance within "
            "1000 ms");
  for (PendingProvider* p : {&behind1, &behind2}) {
    CreateProviderResult made = p->wait();
    ASSERT_TRUE(made.provider) << made.error;
    EXPECT_EQ(get(made.provider->create_order("{}")).status, CallStatus::invalid)
        << "the instance answers from the next child";
  }
  // The death names the create that caused it, apart from calls past their deadline.
  EXPECT_TRUE(logs.contains_text(
      "(killed: creating the instance of tenant acme, provider hung passed 1000 ms)"));
  EXPECT_FALSE(logs.contains_text("a call passed its deadline"));
  EXPECT_EQ(death_reasons(), std::vector<std::string>{"create_timeout"});
}

// A file the blocks plugin's create() looks for ("hang_if_exists", "fail_if_exists"): absent
// until made, removed at the end.
class Marker {
 public:
  explicit Marker(const std::string& name)
      : path_(std::filesystem::temp_directory_path() /
              ("ttb-marker-" + std::to_string(::getpid()) + "-" + name)) {
    std::filesystem::remove(path_);
  }
  ~Marker() { std::filesystem::remove(path_); }
  void make() const { std::ofstream(path_).put('x'); }
  void remove() const { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

TEST_F(IsolatedHostTest, AnInstanceThatHangsWhenCreatedAgainIsLeftOutUntilTheReload) {
  auto o = options();
  o.policy.create_timeout = 1s;
  IsolatedHost host(o);
  Marker marker("hang");
  const std::string blocks = plugin("ttb_test_blocks");
  CreateProviderResult hung = host.create_provider(
      "acme", "hung", blocks, nlohmann::json{{"hang_if_exists", marker.path()}});
  CreateProviderResult fine =
      host.create_provider("acme", "fine", blocks, nlohmann::json::object());
  ASSERT_TRUE(hung.provider) << hung.error;
  ASSERT_TRUE(fine.provider) << fine.error;
  marker.make();
  ::kill(child_of(hung.provider), SIGKILL);
  ASSERT_TRUE(eventually([&] { return died.load() == 1; }));
  std::future<CallResult> held = hung.provider->create_order("{}");  // held for the next child

  // The next child hangs creating it again and is killed for that; the one after leaves it out
  // and serves the others. Sent again, it would kill every child until the quarantine.
  EXPECT_EQ(get(fine.provider->create_order("{}")).status, CallStatus::invalid);
  EXPECT_EQ(death_reasons(), (std::vector<std::string>{"crash", "create_timeout"}));
  const std::string why =
      "tenant acme, provider hung: its plugin process restarted and could not create it again "
      "(create() did not answer within 1000 ms); its calls fail until ttbridged is reloaded "
      "(SIGHUP)";
  for (CallResult r : {get(std::move(held)), get(hung.provider->create_order("{}"))}) {
    EXPECT_EQ(r.status, CallStatus::vendor_unavailable);
    EXPECT_EQ(r.detail, why);
  }
  EXPECT_TRUE(logs.contains_text(why));
  EXPECT_EQ(quarantines.load(), 0);
  EXPECT_NE(hung.provider->unavailable_reason(), "") << "the recruiters' test picker says so";

  // The cause fixed, a reload that keeps the provider creates it again in the child that runs
  // now; its calls answer as before until the child confirms it. Another provider it keeps has
  // nothing to retry.
  marker.remove();
  fine.provider->retry_start();
  hung.provider->retry_start();
  EXPECT_TRUE(eventually(
      [&] { return get(hung.provider->create_order("{}")).status == CallStatus::invalid; }));
  EXPECT_EQ(hung.provider->unavailable_reason(), "");
  EXPECT_EQ(died.load(), 2);
  EXPECT_TRUE(logs.contains_text("tenant acme, provider hung: tried again after the reload"));
  EXPECT_FALSE(logs.contains_text("provider fine: tried again"));
}

TEST_F(IsolatedHostTest, AnInstanceThatFailsWhenCreatedAgainSaysWhyAndIsTriedAgain) {
  IsolatedHost host(options());
  Marker marker("fail");
  CreateProviderResult failing =
      host.create_provider("acme", "failing", plugin("ttb_test_blocks"),
                           nlohmann::json{{"fail_if_exists", marker.path()}});
  ASSERT_TRUE(failing.provider) << failing.error;
  marker.make();
  ::kill(child_of(failing.provider), SIGKILL);
  ASSERT_TRUE(eventually([&] { return died.load() == 1; }));
  std::future<CallResult> held = failing.provider->create_order("{}");  // held for the next child

  // Not "no such plugin instance" from the child: the daemon answers, and says what to do.
  const std::string why =
      "tenant acme, provider failing: its plugin process restarted and could not create it "
      "again (plugin blocks (" +
      plugin("ttb_test_blocks") +
      "): create() failed with invalid: fail_if_exists: the file is there); its calls fail until "
      "ttbridged is reloaded (SIGHUP)";
  for (CallResult r : {get(std::move(held)), get(failing.provider->create_order("{}"))}) {
    EXPECT_EQ(r.status, CallStatus::vendor_unavailable);
    EXPECT_EQ(r.detail, why);
  }
  EXPECT_TRUE(logs.contains_text(why));
  EXPECT_EQ(death_reasons(), std::vector<std::string>{"crash"});

  // Unlike one that hangs, the next child tries it again (a reload would too).
  marker.remove();
  ::kill(child_of(failing.provider), SIGKILL);
  ASSERT_TRUE(eventually([&] { return died.load() == 2; }));
  EXPECT_TRUE(eventually(
      [&] { return get(failing.provider->create_order("{}")).status == CallStatus::invalid; }));
  EXPECT_EQ(failing.provider->unavailable_reason(), "");
}

}  // namespace
}  // namespace ttb::plugins::isolation
