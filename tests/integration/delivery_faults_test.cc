// Delivery guarantees through the real ttbridged under faults: Teamtailor answering 429 with a
// reset, 5xx and 422, or down for longer than the retries; the vendor down for a while and then
// back, or down for longer than the retries, and what the operator sees meanwhile; a reload that
// runs the jobs a breaker held; a full disk answered with 503 (never 2xx) and recovered from; a
// reload that removes a provider parks its jobs, visibly, and one that adds it back runs them.

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "engine_fixture.h"
#include "fakes/testvendor/fake_testvendor.h"

namespace ttb {
namespace {

using testing::eventually;
using namespace std::chrono_literals;

constexpr const char* kToken = "acme-activation-token-1";
constexpr const char* kAdminToken = "delivery-faults-admin-token-0123456789";

// Short retries keep the test in seconds; the policy's shape is what the unit tests pin down.
constexpr const char* kFastJobs =
    "jobs:\n  retry: { max_attempts: 30, base_delay_ms: 100, max_delay_s: 1 }\n";

// An outage outlasts these retries (100 + 200 + 400 ms at most) before a breaker's first probe.
constexpr const char* kRetriesShorterThanTheOutage =
    "jobs:\n  retry: { max_attempts: 4, base_delay_ms: 100, max_delay_s: 1 }\n"
    "  breaker: { failures: 2, open_s: 1 }\n";

class DeliveryFaults : public ::testing::Test {
 protected:
  std::string provider_yaml() const {
    return "  - name: testvendor\n    plugin: testvendor\n    config: " +
           vendor_.plugin_config().dump() + "\n";
  }
  void start(const std::string& jobs = kFastJobs) {
    testing::EngineOptions options;
    options.tenants = {{"acme.yaml", testing::tenant_yaml("acme", kToken, provider_yaml())}};
    options.server_extra = jobs;
    options.admin_token = kAdminToken;
    engine_ = std::make_unique<testing::Engine>(options);
    ASSERT_TRUE(engine_->start()) << engine_->log();
  }
  fakes::WebhookSender::Sent send() {
    fakes::WebhookParams params;
    params.test = "testvendor:t1";
    return engine_->sender().send(kToken, params);
  }
  // The ids of `n` orders sent and acknowledged (fewer, with a failure, if one was refused).
  std::vector<std::string> send_accepted(int n) {
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) {
      auto sent = send();
      EXPECT_EQ(sent.response.status, 202) << sent.response.body;
      if (sent.response.status == 202) ids.push_back(sent.params.partner_result_id);
    }
    return ids;
  }
  // A GET on the admin listener, with its token.
  net::ClientResponse admin_get(const std::string& path) {
    return engine_->admin_request("GET", path, "",
                                  {{"Authorization", std::string("Bearer ") + kAdminToken}});
  }
  std::string metrics() { return admin_get("/metrics").body; }
  // A read of the operator API (what the console shows).
  nlohmann::json operator_api(const std::string& path) {
    auto r = admin_get(path);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return nlohmann::json::parse(r.body, nullptr, false);
  }
  // The vendor's provider as the console's tenants page shows it.
  nlohmann::json provider_shown() {
    return operator_api("/api/tenants")["tenants"][0]["providers"][0];
  }
  std::vector<int> statuses_for(const std::string& id) {
    std::vector<int> out;
    for (const auto& r : engine_->teamtailor().requests()) {
      if (r.path.find(id) != std::string::npos) out.push_back(r.status);
    }
    return out;
  }

  fakes::testvendor::FakeTestVendor vendor_;
  std::unique_ptr<testing::Engine> engine_;
};

TEST_F(DeliveryFaults, TeamtailorRateLimitAndServerErrorsAreRetriedUntilTheResultIsWritten) {
  start();
  engine_->teamtailor().inject(fakes::Fault::rate_limit(1s));
  engine_->teamtailor().inject(fakes::Fault::error(500));
  engine_->teamtailor().inject(fakes::Fault::error(503));
  auto sent = send();
  ASSERT_EQ(sent.response.status, 202) << sent.response.body;
  const std::string id = sent.params.partner_result_id;
  ASSERT_TRUE(engine_->wait_for_status(id, "sent", 20s)) << engine_->log();

  EXPECT_EQ(statuses_for(id), (std::vector<int>{429, 500, 503, 200}));
  EXPECT_EQ(engine_->teamtailor().writes_for(id).size(), 1u);
  EXPECT_GE(engine_->daemon().events("job").size(), 4u);
  EXPECT_NE(metrics().find("ttbridge_job_retries_total{kind=\"push\",provider=\"testvendor\","
                           "tenant=\"acme\"} 3"),
            std::string::npos);
}

TEST_F(DeliveryFaults, TeamtailorRefusingTheResultIsADeadLetterWithItsReason) {
  start();
  engine_->teamtailor().inject(fakes::Fault::invalid("status is not allowed"));
  auto sent = send();
  ASSERT_EQ(sent.response.status, 202);
  ASSERT_TRUE(eventually([&] { return !engine_->daemon().events("job_dead").empty(); }))
      << engine_->log();
  const std::string dead = engine_->daemon().events("job_dead").front();
  EXPECT_NE(dead.find("\"kind\":\"push\""), std::string::npos) << dead;
  EXPECT_NE(dead.find("422"), std::string::npos) << dead;
  EXPECT_EQ(statuses_for(sent.params.partner_result_id), (std::vector<int>{422}));  // not retried
  EXPECT_TRUE(eventually([&] {
    return metrics().find("ttbridge_jobs_dead{provider=\"testvendor\",tenant=\"acme\"} 1") !=
           std::string::npos;
  }));
  EXPECT_NE(metrics().find("ttbridge_job_dead_letters_total{kind=\"push\",provider=\"testvendor\","
                           "tenant=\"acme\"} 1"),
            std::string::npos);
}

TEST_F(DeliveryFaults, VendorDownForAWhileIsWaitedOutAndInvitedOnce) {
  start();
  vendor_.set_down(true);
  auto sent = send();
  ASSERT_EQ(sent.response.status, 202);
  const std::string id = sent.params.partner_result_id;
  ASSERT_TRUE(eventually([&] { return vendor_.requests_seen() >= 3; })) << engine_->log();
  EXPECT_FALSE(vendor_.invitation_for(id));
  vendor_.set_down(false);
  ASSERT_TRUE(engine_->wait_for_status(id, "sent", 20s)) << engine_->log();
  EXPECT_EQ(vendor_.invitations().size(), 1u);
}

// An outage that outlasts the retries: without the breaker each order would fail after four
// quick attempts. With it, the orders wait, attempts kept, while probes find the vendor still
// down, and each is invited once when it is back.
TEST_F(DeliveryFaults, VendorDownLongerThanTheRetriesHoldsTheOrdersUntilItIsBack) {
  start(kRetriesShorterThanTheOutage);
  vendor_.set_down(true);
  const std::vector<std::string> ids = send_accepted(3);
  ASSERT_EQ(ids.size(), 3u);
  // Opened, then opened again by a probe a second later: by then every order's own retries
  // (100 + 200 + 400 ms at most) would have run out.
  ASSERT_TRUE(eventually(
      [&] { return engine_->daemon().events("vendor_breaker_opened").size() >= 2; }, 20s))
      << engine_->log();
  EXPECT_NE(metrics().find("ttbridge_vendor_breakers_open 1"), std::string::npos);
  EXPECT_EQ(operator_api("/api/overview")["outages"]["vendors"],
            nlohmann::json::array({"acme/testvendor"}));
  EXPECT_EQ(provider_shown()["health"], "unavailable");
  EXPECT_EQ(provider_shown()["vendor_down"], true);
  vendor_.set_down(false);
  for (const auto& id : ids) {
    ASSERT_TRUE(engine_->wait_for_status(id, "sent", 20s)) << id << "\n" << engine_->log();
    EXPECT_TRUE(vendor_.invitation_for(id)) << id;
    for (const auto& write : engine_->teamtailor().writes_for(id)) {
      EXPECT_NE(write.attributes.value("status", ""), "failed") << write.attributes.dump();
    }
  }
  EXPECT_EQ(vendor_.invitations().size(), ids.size());
  EXPECT_EQ(engine_->daemon().events("vendor_breaker_closed").size(), 1u);
  EXPECT_NE(metrics().find("ttbridge_vendor_breakers_open 0"), std::string::npos);
  EXPECT_TRUE(operator_api("/api/overview")["outages"]["vendors"].empty());
  EXPECT_EQ(provider_shown()["health"], "ok");
  EXPECT_EQ(provider_shown()["vendor_down"], false);
}

// Teamtailor down longer than the retries: without the breaker each card would be a dead letter
// after four quick attempts. With it, the pushes wait, attempts kept, while probes find
// Teamtailor still down, and each card is written when it is back.
TEST_F(DeliveryFaults, TeamtailorDownLongerThanTheRetriesHoldsTheCardsUntilItIsBack) {
  start(kRetriesShorterThanTheOutage);
  engine_->teamtailor().inject(fakes::Fault::error(503), 1000000);
  const std::vector<std::string> ids = send_accepted(3);
  ASSERT_EQ(ids.size(), 3u);
  ASSERT_TRUE(eventually(
      [&] { return engine_->daemon().events("teamtailor_breaker_opened").size() >= 2; }, 20s))
      << engine_->log();
  const std::string opened = engine_->daemon().events("teamtailor_breaker_opened").front();
  EXPECT_NE(opened.find("\"connection\":\"default\""), std::string::npos) << opened;
  EXPECT_NE(metrics().find("ttbridge_teamtailor_breakers_open 1"), std::string::npos);
  EXPECT_EQ(operator_api("/api/overview")["outages"]["teamtailor"],
            nlohmann::json::array({"default"}));
  EXPECT_EQ(provider_shown()["health"], "ok") << "the vendor answers";
  EXPECT_EQ(vendor_.invitations().size(), ids.size()) << "the invitations are not held";
  engine_->teamtailor().clear_faults();
  for (const auto& id : ids) {
    ASSERT_TRUE(engine_->wait_for_status(id, "sent", 20s)) << id << "\n" << engine_->log();
  }
  EXPECT_TRUE(engine_->daemon().events("job_dead").empty()) << engine_->log();
  EXPECT_EQ(engine_->daemon().events("teamtailor_breaker_closed").size(), 1u);
  EXPECT_NE(metrics().find("ttbridge_teamtailor_breakers_open 0"), std::string::npos);
  EXPECT_TRUE(operator_api("/api/overview")["outages"]["teamtailor"].empty());
}

// The operator fixed what kept the vendor from answering (here it simply comes back) and reloads:
// the reload closes the breaker, and the jobs it held run at once, not at their put-back time an
// hour away.
TEST_F(DeliveryFaults, AReloadRunsTheJobsABreakerHeldAtOnce) {
  start(
      "jobs:\n  retry: { max_attempts: 4, base_delay_ms: 100, max_delay_s: 1 }\n"
      "  breaker: { failures: 2, open_s: 3600, open_max_s: 3600 }\n");
  vendor_.set_down(true);
  const std::vector<std::string> ids = send_accepted(3);
  ASSERT_EQ(ids.size(), 3u);
  auto held = [&] {
    size_t n = 0;
    for (const auto& line : engine_->daemon().events("job")) {
      n += line.find("\"status\":\"deferred\"") != std::string::npos;
    }
    return n;
  };
  // Two calls open the breaker; the third order's invite and the others' retries are held.
  ASSERT_TRUE(eventually([&] { return held() >= 3; }, 20s)) << engine_->log();
  vendor_.set_down(false);
  engine_->daemon().signal(SIGHUP);
  ASSERT_TRUE(eventually([&] { return engine_->daemon().events("reloaded").size() == 1; }));
  EXPECT_EQ(engine_->daemon().events("vendor_breakers_reset").size(), 1u);
  for (const auto& id : ids) {
    ASSERT_TRUE(engine_->wait_for_status(id, "sent", 20s)) << id << "\n" << engine_->log();
  }
  EXPECT_EQ(vendor_.invitations().size(), ids.size());
  EXPECT_TRUE(engine_->daemon().events("job_dead").empty());
}

// A full disk, for real: the daemon's RLIMIT_FSIZE is lowered from outside with prlimit(2) (no
// privilege needed for our own child), so every write past 4 KiB into any file fails with EFBIG,
// exactly as on a full file system: the SQLite WAL cannot grow and the commit fails. The daemon
// ignores SIGXFSZ, so the write fails instead of killing it. No test-only build flag or hook.
TEST_F(DeliveryFaults, FullDiskIsAnswered503NeverAcknowledgedAndRecoveredFrom) {
  start();
  auto before = send();
  ASSERT_EQ(before.response.status, 202);
  ASSERT_TRUE(engine_->wait_for_status(before.params.partner_result_id, "sent", 20s));

  const pid_t pid = engine_->daemon().pid();
  rlimit normal{};
  ASSERT_EQ(::prlimit(pid, RLIMIT_FSIZE, nullptr, &normal), 0);
  rlimit full = normal;
  full.rlim_cur = 4096;
  ASSERT_EQ(::prlimit(pid, RLIMIT_FSIZE, &full, nullptr), 0);

  std::vector<std::string> refused;
  for (int i = 0; i < 3; ++i) {
    auto sent = send();
    EXPECT_EQ(sent.response.status, 503) << sent.response.body;
    refused.push_back(sent.params.partner_result_id);
  }
  EXPECT_TRUE(engine_->daemon().running());

  ASSERT_EQ(::prlimit(pid, RLIMIT_FSIZE, &normal, nullptr), 0);
  auto after = send();
  ASSERT_EQ(after.response.status, 202) << after.response.body;
  ASSERT_TRUE(engine_->wait_for_status(after.params.partner_result_id, "sent", 20s))
      << engine_->log();
  // Nothing refused was half-stored: none of them reached the vendor.
  for (const auto& id : refused) EXPECT_FALSE(vendor_.invitation_for(id)) << id;
  // Teamtailor never retries a refused webhook: the recruiter sends it again, and then it is
  // stored and invited like any other (docs/protocols/teamtailor.md, "Webhook answer").
  fakes::WebhookParams again;
  again.partner_result_id = refused[0];
  auto resent = engine_->sender().send(kToken, again);
  EXPECT_EQ(resent.response.status, 202);
  EXPECT_TRUE(engine_->wait_for_status(refused[0], "sent", 20s));
}

TEST_F(DeliveryFaults, RemovedProviderParksItsJobsVisiblyAndTheyRunWhenItIsBack) {
  start();
  vendor_.set_down(true);  // the invite keeps retrying, so it is pending when the reload comes
  auto sent = send();
  ASSERT_EQ(sent.response.status, 202);
  const std::string id = sent.params.partner_result_id;
  ASSERT_TRUE(eventually([&] { return vendor_.requests_seen() >= 1; }));

  engine_->dir().write("tenants/acme.yaml", testing::tenant_yaml("acme", kToken, ""));
  engine_->daemon().signal(SIGHUP);
  ASSERT_TRUE(eventually([&] { return engine_->daemon().events("reloaded").size() == 1; }));
  vendor_.set_down(false);
  EXPECT_TRUE(eventually([&] {
    return metrics().find(
               "ttbridge_jobs_waiting_for_provider{provider=\"testvendor\","
               "tenant=\"acme\"} 1") != std::string::npos;
  })) << metrics();
  EXPECT_TRUE(engine_->daemon().events("job_dead").empty());
  EXPECT_FALSE(vendor_.invitation_for(id));

  engine_->dir().write("tenants/acme.yaml", testing::tenant_yaml("acme", kToken, provider_yaml()));
  engine_->daemon().signal(SIGHUP);
  ASSERT_TRUE(engine_->wait_for_status(id, "sent", 20s)) << engine_->log();
  EXPECT_EQ(vendor_.invitations().size(), 1u);
  EXPECT_TRUE(engine_->daemon().events("job_dead").empty());
}

}  // namespace
}  // namespace ttb
