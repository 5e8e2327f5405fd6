// provider: testgorilla.so through core/plugins (the real PluginHost and HTTP client) against
// the TestGorilla fake on loopback: the test list, an invite that is safe to repeat, results by
// fetch_order, cancel, login tokens, and the fault paths (429 with reset, 5xx, slow answers,
// duplicated list rows).
#include <chrono>
#include <future>
#include <memory>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fakes/testgorilla/fake_testgorilla.h"
#include "net/http_client.h"
#include "plugins/internal/plugin_host.h"

namespace ttb::testgorilla {
namespace {

using nlohmann::json;
using ttb::fakes::testgorilla::Fault;
using ttb::fakes::testgorilla::TestResult;
using ttb::plugins::CallResult;
using ttb::plugins::CallStatus;

CallResult wait(std::future<CallResult> f) {
  if (f.wait_for(std::chrono::seconds(20)) != std::future_status::ready)
    return CallResult{CallStatus::timeout, "", "the test gave up waiting", std::nullopt};
  return f.get();
}

class TestGorillaPlugin : public ::testing::Test {
 protected:
  void SetUp() override {
    ttb::plugins::HostOptions options;
    options.http = std::shared_ptr<ttb::net::HttpClient>(ttb::net::make_http_client());
    options.call_timeout = std::chrono::seconds(15);
    options.log = [](const ttb::plugins::HostLogRecord&) {};  // keep test output quiet
    host_ = std::make_unique<ttb::plugins::PluginHost>(std::move(options));
    assessment_ = fake_.add_assessment("Customer Support");
    provider_ = make(config());
    ASSERT_TRUE(provider_);
  }
  void TearDown() override {
    provider_.reset();
    host_.reset();
  }

  json config() const {
    return {{"api_token", fake_.options().api_token},
            {"base_url", fake_.base_url()},
            {"send_email", false}};
  }
  std::shared_ptr<ttb::plugins::Provider> make(const json& config) {
    auto made = host_->create_provider("acme", "testgorilla", TTB_TESTGORILLA_PLUGIN_PATH, config);
    EXPECT_TRUE(made.provider) << made.error;
    return made.provider;
  }

  json request(const std::string& order_id, const std::string& email = "ada@example.org") const {
    return {{"order_id", order_id},
            {"test_id", assessment_},
            {"candidate",
             {{"id", "1001"}, {"first_name", "Ada"}, {"last_name", "Lovelace"}, {"email", email}}},
            {"callback_url", "http://127.0.0.1:9/callbacks/acme/testgorilla/orders/" + order_id},
            {"locale", "en"}};
  }
  // The order context the engine would store after `update`.
  static json context(const std::string& order_id, const json& update) {
    return {{"order_id", order_id},
            {"vendor_order_id", update["vendor_order_id"]},
            {"status", update["status"]},
            {"candidate", {{"email", "ada@example.org"}}},
            {"vendor_state", update["vendor_state"]}};
  }
  json invite(const std::string& order_id, ttb::plugins::Provider& p) {
    CallResult r = wait(p.create_order(request(order_id).dump()));
    EXPECT_TRUE(r.ok()) << r.detail;
    return r.ok() ? json::parse(r.json) : json::object();
  }
  json fetch(const json& ctx) {
    CallResult r = wait(provider_->fetch_order(ctx.dump()));
    EXPECT_TRUE(r.ok()) << r.detail;
    return r.ok() ? json::parse(r.json) : json::object();
  }

  static std::vector<TestResult> results() {
    return {
        TestResult{"Problem solving", 90, "basic", ""},
        TestResult{"Attention to detail", 70, "basic", ""},
        TestResult{"Big 5 (OCEAN)", std::nullopt, "big_5", "2-1-1-2-1_30.0-29.0-33.0-26.0-31.0"}};
  }

  ttb::fakes::testgorilla::FakeTestGorilla fake_;
  std::unique_ptr<ttb::plugins::PluginHost> host_;
  std::shared_ptr<ttb::plugins::Provider> provider_;
  std::string assessment_;
};

TEST_F(TestGorillaPlugin, ListsEveryPageOfAssessmentsButTheArchivedOnes) {
  fake_.add_assessments(130);
  const std::string old = fake_.add_assessment("Old");
  fake_.archive(old);
  CallResult r = wait(provider_->list_tests());
  ASSERT_TRUE(r.ok()) << r.detail;
  json tests = json::parse(r.json)["tests"];
  EXPECT_EQ(tests.size(), 131u);
  for (const auto& t : tests) EXPECT_NE(t["id"], old);
  EXPECT_EQ(fake_.count_requests("GET", "/api/assessments"), 2);
  for (const auto& req : fake_.requests()) EXPECT_EQ(req.query.at("status"), "new,active");
}

TEST_F(TestGorillaPlugin, InvitesOnceAndKeepsTheCandidatureInVendorState) {
  json u = invite("pr_1", *provider_);
  auto cid = fake_.candidature_for(assessment_, "ada@example.org");
  ASSERT_TRUE(cid);
  EXPECT_EQ(u["status"], "sent");
  EXPECT_EQ(u["vendor_order_id"], assessment_ + "/" + *cid);
  EXPECT_EQ(u["vendor_state"]["candidature_id"], *cid);
  EXPECT_FALSE(u["vendor_state"]["test_taker_id"].get<std::string>().empty());
  EXPECT_EQ(u["candidate_url"].get<std::string>().rfind(fake_.origin() + "/testtaker/welcome/", 0),
            0u);
  bool searched = false;
  for (const auto& req : fake_.requests())
    if (req.path.find("/candidature") != std::string::npos)
      searched = req.query.count("search") && req.query.at("search") == "ada@example.org";
  EXPECT_TRUE(searched);
  EXPECT_EQ(fake_.invitations_created(), 1);
  bool no_email = false;
  for (const auto& req : fake_.requests())
    if (req.method == "POST")
      no_email = req.query.count("no_email") && req.query.at("no_email") == "true";
  EXPECT_TRUE(no_email);
}

TEST_F(TestGorillaPlugin, ARepeatedInviteFindsTheCandidateAndDoesNotInviteAgain) {
  json first = invite("pr_1", *provider_);
  json second = invite("pr_1", *provider_);
  EXPECT_EQ(fake_.invitations_created(), 1);
  EXPECT_EQ(second["vendor_order_id"], first["vendor_order_id"]);
  EXPECT_EQ(second["status"], "sent");
}

TEST_F(TestGorillaPlugin, AnInviteWhoseAnswerWasLostIsNotSentTwice) {
  // TestGorilla creates the candidature but its answer is lost: the engine retries create_order,
  // which must find the candidate instead of inviting again.
  fake_.inject(Fault::lost(502, "/invite_candidate"));
  CallResult failed = wait(provider_->create_order(request("pr_1").dump()));
  EXPECT_EQ(failed.status, CallStatus::vendor_unavailable);
  EXPECT_EQ(fake_.invitations_created(), 1);
  json u = invite("pr_1", *provider_);
  EXPECT_EQ(u["status"], "sent");
  EXPECT_EQ(u["vendor_state"]["candidature_id"],
            fake_.candidature_for(assessment_, "ada@example.org").value_or("?"));
  EXPECT_EQ(fake_.invitations_created(), 1);
  EXPECT_EQ(fake_.count_requests("POST", "/invite_candidate"), 1);
}

TEST_F(TestGorillaPlugin, PollingFollowsTheCandidateToTheCompletedResult) {
  json ctx = context("pr_1", invite("pr_1", *provider_));
  const std::string cid = ctx["vendor_state"]["candidature_id"];
  EXPECT_EQ(fetch(ctx)["status"], "sent");
  fake_.start(cid);
  EXPECT_EQ(fetch(ctx)["status"], "pending");
  fake_.complete(cid, results());
  json done = fetch(ctx);
  EXPECT_EQ(done["status"], "completed");
  EXPECT_DOUBLE_EQ(done["score"].get<double>(), 80.0);
  EXPECT_EQ(done["summary"], "Assessment completed: 80% on average over 2 scored test(s).");
  EXPECT_EQ(done["report_url"], "https://app.testgorilla.com/customer/assessments/" + assessment_ +
                                    "/candidates/" + cid);
  EXPECT_EQ(done["details"]["tests"]["Problem solving"], "90%");
  EXPECT_EQ(fake_.count_requests("GET", "/assessments/results"), 1);
}

TEST_F(TestGorillaPlugin, DuplicatedRowsAndManyPagesStillFindTheCandidate) {
  json ctx = context("pr_1", invite("pr_1", *provider_));
  // E-mails that the search for ada@example.org also matches, so the list still has two pages.
  // Appended, not "n" + to_string(i): GCC 12 at -O3 flags that with a false -Wrestrict (GCC bug
  // 105329; docs/toolchain-gcc12-o3.md).
  for (int i = 0; i < 150; ++i) {
    std::string email = "n";
    email.append(std::to_string(i)).append("ada@example.org");
    fake_.add_candidature(assessment_, email);
  }
  fake_.inject(Fault::duplicates("/candidature"), 5);
  json u = fetch(ctx);  // the order's candidature is the oldest: on the second page
  EXPECT_EQ(u["status"], "sent");
  EXPECT_EQ(fake_.count_requests("GET", "/assessments/candidature"), 2 + 2);  // 2 at invite
}

TEST_F(TestGorillaPlugin, ACandidatureDeletedAtTestGorillaFailsTheOrder) {
  json ctx = context("pr_1", invite("pr_1", *provider_));
  fake_.remove(ctx["vendor_state"]["candidature_id"]);
  json u = fetch(ctx);
  EXPECT_EQ(u["status"], "failed");
  EXPECT_EQ(u["failure_reason"], "cancelled");
}

TEST_F(TestGorillaPlugin, CancelDeletesTheCandidature) {
  json ctx = context("pr_1", invite("pr_1", *provider_));
  CallResult r = wait(provider_->cancel_order(ctx.dump()));
  ASSERT_TRUE(r.ok()) << r.detail;
  EXPECT_EQ(json::parse(r.json)["failure_reason"], "cancelled");
  EXPECT_FALSE(fake_.candidature(ctx["vendor_state"]["candidature_id"]));
}

TEST_F(TestGorillaPlugin, RateLimitedAnswersCarryTheResetTime) {
  json ctx = context("pr_1", invite("pr_1", *provider_));
  fake_.inject(Fault::rate_limit(7, "/candidature"));
  CallResult r = wait(provider_->fetch_order(ctx.dump()));
  EXPECT_EQ(r.status, CallStatus::rate_limited);
  ASSERT_TRUE(r.retry_after);
  EXPECT_EQ(*r.retry_after, std::chrono::seconds(7));
}

TEST_F(TestGorillaPlugin, TheFakesOwnLimiterIsRespectedToo) {
  fake_.set_rate_limiter(true);  // 20 GET /assessments/ a minute
  int limited = 0;
  for (int i = 0; i < 21; ++i) {
    CallResult r = wait(provider_->list_tests());
    if (r.status == CallStatus::rate_limited) {
      ++limited;
      ASSERT_TRUE(r.retry_after);
      EXPECT_GT(*r.retry_after, std::chrono::seconds(0));
      EXPECT_LE(*r.retry_after, std::chrono::seconds(60));
    }
  }
  EXPECT_EQ(limited, 1);
}

TEST_F(TestGorillaPlugin, ServerErrorsAndSlowAnswers) {
  fake_.inject(Fault::error(503));
  EXPECT_EQ(wait(provider_->list_tests()).status, CallStatus::vendor_unavailable);
  fake_.inject(Fault::slow(std::chrono::milliseconds(300)));
  EXPECT_TRUE(wait(provider_->list_tests()).ok());
}

TEST_F(TestGorillaPlugin, LogsInWithCredentialsAndAgainWhenTheTokenExpires) {
  json c = config();
  c.erase("api_token");
  c["username"] = fake_.options().username;
  c["password"] = fake_.options().password;
  auto p = make(c);
  ASSERT_TRUE(p);
  EXPECT_TRUE(wait(p->list_tests()).ok());
  EXPECT_TRUE(wait(p->list_tests()).ok());
  EXPECT_EQ(fake_.logins(), 1);
  fake_.expire_tokens();
  EXPECT_TRUE(wait(p->list_tests()).ok());
  EXPECT_EQ(fake_.logins(), 2);

  c["password"] = "wrong";
  auto bad = make(c);
  ASSERT_TRUE(bad);
  EXPECT_EQ(wait(bad->list_tests()).status, CallStatus::auth);
}

TEST_F(TestGorillaPlugin, AWrongTokenIsAnAuthError) {
  json c = config();
  c["api_token"] = "wrong";
  auto p = make(c);
  ASSERT_TRUE(p);
  EXPECT_EQ(wait(p->list_tests()).status, CallStatus::auth);
}

TEST_F(TestGorillaPlugin, CallbacksAreRefusedWithoutUpdates) {
  ttb::plugins::CallbackRequest cb;
  cb.method = "POST";
  cb.path = "orders/pr_1";
  cb.body = R"({"status":"completed"})";
  CallResult r = wait(provider_->handle_callback(cb));
  ASSERT_TRUE(r.ok()) << r.detail;
  json reply = json::parse(r.json);
  EXPECT_EQ(reply["reply"]["status"], 404);
  EXPECT_FALSE(reply.contains("updates") && !reply["updates"].empty());
}

}  // namespace
}  // namespace ttb::testgorilla
