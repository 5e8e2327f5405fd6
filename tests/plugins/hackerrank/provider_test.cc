// provider: hackerrank.so through core/plugins against the HackerRank fake: tests, invites,
// callbacks, polling, cancelling, and the error paths (duplicates, bad tokens, 429, bad keys).
#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "plugin_harness.h"

namespace ttb::hackerrank::testing {
namespace {

using ttb::fakes::hackerrank::Fault;
using ttb::fakes::hackerrank::Outcome;
using ttb::fakes::hackerrank::QuestionScore;
using ttb::fakes::hackerrank::TestSpec;
using ttb::fakes::hackerrank::WebhookAuth;
using ttb::plugins::CallStatus;

class HackerRankPlugin : public ::testing::Test {
 protected:
  void SetUp() override { h.fake().add_test(TestSpec{"4711", "C++ Senior", 90, false, "active"}); }

  std::string candidate_of(const std::string& order_id) {
    return h.context(order_id)["vendor_state"]["candidate_id"].get<std::string>();
  }

  int count_requests(const std::string& method, const std::string& path_part) {
    int n = 0;
    for (const auto& r : h.fake().requests())
      if (r.method == method && r.path.find(path_part) != std::string::npos) ++n;
    return n;
  }

  static Outcome outcome(double pct) {
    Outcome o;
    o.percentage_score = pct;
    o.questions = {QuestionScore{"Two Sum", 8, 10, "Algorithms", "code"},
                   QuestionScore{"LRU Cache", 9, 10, "Design", "code"}};
    o.integrity_status = "No Issues Detected";
    return o;
  }

  PluginHarness h;
};

TEST_F(HackerRankPlugin, ListsEveryPageOfPublishedTests) {
  h.fake().add_tests(230);
  h.fake().add_test(TestSpec{"d1", "Draft", 60, true, "active"});
  h.fake().add_test(TestSpec{"a1", "Archived", 60, false, "archived"});
  auto r = wait(h.provider().list_tests());
  ASSERT_TRUE(r.ok()) << r.detail;
  json tests = json::parse(r.json)["tests"];
  ASSERT_EQ(tests.size(), 231u);  // 4711 + t1..t230, without the draft and the archived test
  EXPECT_EQ(tests[0],
            (json{{"id", "4711"},
                  {"name", "C++ Senior"},
                  {"kind", "assessment"},
                  {"description", "<p>Solve the problems in the language of your choice.</p>"},
                  {"duration_minutes", 90}}));
  for (const auto& t : tests) {
    EXPECT_NE(t["id"], "d1");
    EXPECT_NE(t["id"], "a1");
  }
  auto requests = h.fake().requests();
  ASSERT_EQ(requests.size(), 3u);  // 233 tests at 100 per page
  for (const auto& req : requests) {
    EXPECT_EQ(req.query.at("limit"), "100");
    EXPECT_EQ(*ttb::net::find_header(req.headers, "Authorization"), "Bearer " + h.fake().api_key());
  }
}

TEST_F(HackerRankPlugin, CreateOrderInvitesWithAFreshTokenAndReportsSent) {
  auto a = h.create("pr-1", "4711", "ada@example.org");
  ASSERT_TRUE(a.ok()) << a.detail;
  auto b = h.create("pr-2", "4711", "bob@example.org");
  ASSERT_TRUE(b.ok()) << b.detail;

  json u = json::parse(a.json);
  EXPECT_EQ(u["status"], "sent");
  EXPECT_EQ(u["order_id"], "pr-1");
  const std::string cid = u["vendor_state"]["candidate_id"];
  EXPECT_EQ(u["vendor_order_id"], "4711/" + cid);
  EXPECT_EQ(u["candidate_url"], h.fake().candidate(cid)->at("invite_link"));

  auto bodies = h.fake().invite_bodies();
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_EQ(bodies[0]["send_email"], false);  // from the config, always explicit
  EXPECT_EQ(bodies[0]["test_result_url"], h.callback_url("pr-1"));
  EXPECT_EQ(bodies[0]["accept_result_updates"], true);
  EXPECT_EQ(bodies[0]["invite_metadata"]["ttbridge_order_id"], "pr-1");
  EXPECT_EQ(bodies[0]["invite_metadata"]["job_title"], "C++ Engineer");
  const std::string token_a = bodies[0]["webhook_authentication"]["data"]["token"];
  const std::string token_b = bodies[1]["webhook_authentication"]["data"]["token"];
  EXPECT_EQ(bodies[0]["webhook_authentication"]["type"], "bearer_token");
  EXPECT_EQ(token_a.size(), 64u);
  EXPECT_NE(token_a, token_b);
  EXPECT_EQ(u["vendor_state"]["token"], token_a);
  EXPECT_EQ(h.fake().invitations_created(), 2);
}

TEST_F(HackerRankPlugin, DuplicateInviteIsInvalidWithAClearDetail) {
  ASSERT_TRUE(h.create("pr-1", "4711", "ada@example.org").ok());
  auto again = h.create("pr-2", "4711", "ADA@example.org");
  EXPECT_EQ(again.status, CallStatus::invalid);
  EXPECT_NE(again.detail.find("already invited"), std::string::npos) << again.detail;
  EXPECT_EQ(again.detail.find("ada@"), std::string::npos) << "no candidate data in details";
  EXPECT_EQ(h.fake().invitations_created(), 1);
}

TEST_F(HackerRankPlugin, RateLimitedInviteReportsTheRetryTime) {
  h.fake().inject(Fault::rate_limit(7));
  auto r = h.create("pr-1", "4711", "ada@example.org");
  EXPECT_EQ(r.status, CallStatus::rate_limited);
  ASSERT_TRUE(r.retry_after.has_value());
  EXPECT_EQ(r.retry_after->count(), 7000);
  EXPECT_EQ(h.fake().invitations_created(), 0);

  h.fake().inject(Fault::rate_limit(3, /*retry_after_header=*/false, /*reset_header=*/true));
  r = h.create("pr-1", "4711", "ada@example.org");
  EXPECT_EQ(r.status, CallStatus::rate_limited);
  ASSERT_TRUE(r.retry_after.has_value());
  EXPECT_GE(r.retry_after->count(), 1000);  // the epoch reset, give or take the clock's second
  EXPECT_LE(r.retry_after->count(), 4000);

  h.fake().inject(Fault::rate_limit(3, false, false));
  r = h.create("pr-1", "4711", "ada@example.org");
  EXPECT_EQ(r.status, CallStatus::rate_limited);
  EXPECT_EQ(r.retry_after->count(), 1000);

  EXPECT_TRUE(h.create("pr-1", "4711", "ada@example.org").ok());  // the retry goes through
}

TEST_F(HackerRankPlugin, ServerErrorsAndBadKeysMapToRetryableAndAuth) {
  h.fake().inject(Fault::error(502));
  EXPECT_EQ(wait(h.provider().list_tests()).status, CallStatus::vendor_unavailable);

  json config = h.config();
  config["api_key"] = "wrong-key";
  auto made = h.make_provider(config);
  ASSERT_TRUE(made.provider) << made.error;
  auto r = wait(made.provider->list_tests());
  EXPECT_EQ(r.status, CallStatus::auth);
  EXPECT_EQ(r.detail.find("wrong-key"), std::string::npos);
}

TEST_F(HackerRankPlugin, BadConfigFailsCreateNamingTheSettingNotTheValue) {
  auto made = h.make_provider(json{{"api_key", "sekrit"}, {"base_url", "not a url sekrit"}});
  EXPECT_FALSE(made.provider);
  EXPECT_NE(made.error.find("base_url"), std::string::npos) << made.error;
  EXPECT_EQ(made.error.find("sekrit"), std::string::npos) << made.error;
  made = h.make_provider(json{{"base_url", "https://x.example"}});
  EXPECT_NE(made.error.find("api_key"), std::string::npos) << made.error;
}

TEST_F(HackerRankPlugin, CallbackRefetchesMapsAndDedupesExactRedeliveries) {
  ASSERT_TRUE(h.create("pr-1", "4711", "ada@example.org").ok());
  const std::string cid = candidate_of("pr-1");
  h.fake().start_attempt(cid);
  h.fake().finish(cid, outcome(85));
  h.fake().set_pdf_unavailable(cid, 1);  // HackerRank is still rendering the PDF

  auto d1 = h.fake().send_webhook(cid);
  EXPECT_EQ(d1.status, 200) << d1.error << d1.response_body;
  auto d2 = h.fake().send_webhook(cid);  // the PDF is ready now
  auto d3 = h.fake().send_webhook(cid);  // an exact redelivery
  EXPECT_EQ(d3.status, 200);

  auto cbs = h.callbacks();
  ASSERT_EQ(cbs.size(), 3u);
  json r1 = json::parse(cbs[0].result.json), r2 = json::parse(cbs[1].result.json),
       r3 = json::parse(cbs[2].result.json);
  ASSERT_EQ(r1["updates"].size(), 1u);
  json u1 = r1["updates"][0];
  EXPECT_EQ(u1["order_id"], "pr-1");
  EXPECT_EQ(u1["status"], "completed");
  EXPECT_DOUBLE_EQ(u1["score"].get<double>(), 85.0);
  EXPECT_TRUE(u1["attachments"].empty());
  EXPECT_EQ(u1["details"]["sections"]["Algorithms"], "80% (8/10)");
  EXPECT_EQ(u1["report_url"], h.fake().candidate(cid)->at("authenticated_report_url"));
  EXPECT_NE(u1["summary"].get<std::string>().find("No Issues Detected"), std::string::npos);

  json u2 = r2["updates"][0];
  ASSERT_EQ(u2["attachments"].size(), 1u);
  EXPECT_EQ(u2["attachments"][0]["url"], h.fake().candidate(cid)->at("pdf_url"));
  EXPECT_NE(r1["event_id"], r2["event_id"]);  // the PDF appearing is news
  EXPECT_EQ(r2["event_id"], r3["event_id"]);  // a redelivery is not

  // The plugin trusted only its own GET, which asked for the detail fields.
  bool asked_fields = false;
  for (const auto& req : h.fake().requests())
    if (req.method == "GET" && req.path.ends_with("/candidates/" + cid) &&
        req.query.count("additional_fields"))
      asked_fields =
          req.query.at("additional_fields").find("questions") != std::string::npos &&
          req.query.at("additional_fields").find("scores_sections_split") != std::string::npos;
  EXPECT_TRUE(asked_fields);
}

TEST_F(HackerRankPlugin, AFinishedCandidateIsGradedWithThePdfAndTheTestReadTogether) {
  ASSERT_TRUE(h.create("pr-1", "4711", "ada@example.org").ok());
  const std::string cid = candidate_of("pr-1");
  h.fake().finish(cid, outcome(85));  // 17 of 20 points
  h.fake().set_cutoff_score("4711", 15);
  // The PDF link answers late. Read one after the other, the test would be asked for only once
  // the PDF had answered; read together, the test's answer comes first.
  h.fake().inject(Fault::slow(std::chrono::milliseconds(1500)).only_for("/pdf"));

  auto d = h.fake().send_webhook(cid);
  EXPECT_EQ(d.status, 200) << d.error << d.response_body;

  auto cbs = h.callbacks();
  ASSERT_EQ(cbs.size(), 1u);
  ASSERT_TRUE(cbs[0].result.ok()) << cbs[0].result.detail;
  json u = json::parse(cbs[0].result.json)["updates"][0];
  EXPECT_EQ(u["grade"], "top_fit");
  ASSERT_EQ(u["attachments"].size(), 1u);
  EXPECT_EQ(u["attachments"][0]["url"], h.fake().candidate(cid)->at("pdf_url"));

  std::vector<std::string> answered;  // the fake records a request once it has answered it
  for (const auto& r : h.fake().requests())
    if (r.path.ends_with("/pdf") || r.path.ends_with("/tests/4711")) answered.push_back(r.path);
  ASSERT_EQ(answered.size(), 2u);
  EXPECT_TRUE(answered[0].ends_with("/tests/4711")) << answered[0];
  EXPECT_TRUE(answered[1].ends_with("/pdf")) << answered[1];
}

TEST_F(HackerRankPlugin, TheGradeComesWhileThePdfIsNotReady) {
  ASSERT_TRUE(h.create("pr-1", "4711", "ada@example.org").ok());
  const std::string cid = candidate_of("pr-1");
  h.fake().finish(cid, outcome(85));
  h.fake().set_cutoff_score("4711", 18);
  h.fake().set_pdf_unavailable(cid, 1);  // HackerRank still renders it: 503

  EXPECT_EQ(h.fake().send_webhook(cid).status, 200);
  auto cbs = h.callbacks();
  ASSERT_EQ(cbs.size(), 1u);
  json u = json::parse(cbs[0].result.json)["updates"][0];
  EXPECT_EQ(u["grade"], "might_not_be_fit");
  EXPECT_TRUE(u["attachments"].empty());
}

TEST_F(HackerRankPlugin, WrongOrMissingTokenIsRefusedBeforeAnyVendorCall) {
  ASSERT_TRUE(h.create("pr-1", "4711", "ada@example.org").ok());
  const std::string cid = candidate_of("pr-1");
  h.fake().finish(cid, outcome(85));
  const int before = static_cast<int>(h.fake().requests().size());

  EXPECT_EQ(h.fake().send_webhook(cid, WebhookAuth::wrong).status, 401);
  EXPECT_EQ(h.fake().send_webhook(cid, WebhookAuth::missing).status, 401);
  for (const auto& cb : h.callbacks()) {
    ASSERT_TRUE(cb.result.ok());
    EXPECT_TRUE(json::parse(cb.result.json)["updates"].empty());
  }
  EXPECT_EQ(static_cast<int>(h.fake().requests().size()), before);  // no re-fetch happened
}

TEST_F(HackerRankPlugin, AnotherOrdersTokenDoesNotOpenThisOrder) {
  ASSERT_TRUE(h.create("pr-1", "4711", "ada@example.org").ok());
  ASSERT_TRUE(h.create("pr-2", "4711", "bob@example.org").ok());
  // pr-2's candidate presents its own (valid) token, but at pr-1's URL.
  const std::string token2 = h.context("pr-2")["vendor_state"]["token"];
  auto client = ttb::net::make_http_client();
  ttb::net::ClientRequest req;
  req.method = "POST";
  req.url = h.callback_url("pr-1");
  req.headers = {{"Authorization", "Bearer " + token2}, {"Content-Type", "application/json"}};
  req.body = "{}";
  EXPECT_EQ(client->send(req).status, 401);
  req.url = h.callback_url("pr-unknown");
  EXPECT_EQ(client->send(req).status, 401);  // no order context at all
}

TEST_F(HackerRankPlugin, OutOfOrderWebhookStillReportsTheCurrentState) {
  ASSERT_TRUE(h.create("pr-1", "4711", "ada@example.org").ok());
  const std::string cid = candidate_of("pr-1");
  const std::string stale = h.fake().candidate(cid)->dump();  // status -1, taken before the finish
  h.fake().finish(cid, outcome(60));
  EXPECT_EQ(h.fake().send_webhook_body(cid, stale).status, 200);
  json r = json::parse(h.callbacks().back().result.json);
  EXPECT_EQ(r["updates"][0]["status"], "completed");
  EXPECT_DOUBLE_EQ(r["updates"][0]["score"].get<double>(), 60.0);
}

TEST_F(HackerRankPlugin, ResultUpdatesAreResentAndPassDedupe) {
  ASSERT_TRUE(h.create("pr-1", "4711", "ada@example.org").ok());
  const std::string cid = candidate_of("pr-1");
  h.fake().set_auto_webhooks(true);
  h.fake().finish(cid, outcome(70));  // HackerRank posts the report
  h.fake().update_score(cid, 75);     // and, with accept_result_updates, the re-evaluation
  auto cbs = h.callbacks();
  ASSERT_EQ(cbs.size(), 2u);
  json r1 = json::parse(cbs[0].result.json), r2 = json::parse(cbs[1].result.json);
  EXPECT_DOUBLE_EQ(r1["updates"][0]["score"].get<double>(), 70.0);
  EXPECT_DOUBLE_EQ(r2["updates"][0]["score"].get<double>(), 75.0);
  EXPECT_NE(r1["event_id"], r2["event_id"]);
}

TEST_F(HackerRankPlugin, EachRefetchCarriesALaterRevisionSoAReScoreCanAmend) {
  ASSERT_TRUE(h.create("pr-1", "4711", "ada@example.org").ok());
  const std::string cid = candidate_of("pr-1");
  h.fake().set_auto_webhooks(true);
  h.fake().finish(cid, outcome(71));
  h.fake().update_score(cid, 84);  // the re-score, re-sent with accept_result_updates
  auto poll = wait(h.provider().fetch_order(h.context("pr-1").dump()));
  ASSERT_TRUE(poll.ok()) << poll.detail;
  auto cbs = h.callbacks();
  ASSERT_EQ(cbs.size(), 2u);
  json first = json::parse(cbs[0].result.json)["updates"][0];
  json rescored = json::parse(cbs[1].result.json)["updates"][0];
  json polled = json::parse(poll.json);
  ASSERT_TRUE(first["revision"].is_number_integer());
  EXPECT_GT(rescored["revision"].get<std::int64_t>(), first["revision"].get<std::int64_t>());
  EXPECT_GT(polled["revision"].get<std::int64_t>(), rescored["revision"].get<std::int64_t>());
  EXPECT_EQ(rescored["status"], "completed");
  EXPECT_DOUBLE_EQ(rescored["score"].get<double>(), 84.0);
}

TEST_F(HackerRankPlugin, CallbackRefetchRateLimitedFailsTheCallSoTheVendorRetries) {
  ASSERT_TRUE(h.create("pr-1", "4711", "ada@example.org").ok());
  const std::string cid = candidate_of("pr-1");
  h.fake().finish(cid, outcome(85));
  h.fake().inject(Fault::rate_limit(2));
  auto d = h.fake().send_webhook(cid);
  EXPECT_NE(d.status, 200);
  auto cb = h.callbacks().back().result;
  EXPECT_EQ(cb.status, CallStatus::rate_limited);
  EXPECT_EQ(cb.retry_after->count(), 2000);
}

TEST_F(HackerRankPlugin, FetchOrderFollowsTheCandidate) {
  ASSERT_TRUE(h.create("pr-1", "4711", "ada@example.org").ok());
  const std::string cid = candidate_of("pr-1");
  auto fetch = [&] {
    auto r = wait(h.provider().fetch_order(h.context("pr-1").dump()));
    EXPECT_TRUE(r.ok()) << r.detail;
    return r.ok() ? json::parse(r.json) : json::object();
  };
  EXPECT_EQ(fetch()["status"], "sent");
  h.fake().start_attempt(cid);
  EXPECT_EQ(fetch()["status"], "pending");
  h.fake().finish(cid, outcome(91.5));
  json done = fetch();
  EXPECT_EQ(done["status"], "completed");
  EXPECT_DOUBLE_EQ(done["score"].get<double>(), 91.5);
  EXPECT_EQ(done["attachments"].size(), 1u);
  EXPECT_EQ(done["vendor_state"]["token"], h.context("pr-1")["vendor_state"]["token"]);

  ASSERT_TRUE(h.create("pr-2", "4711", "bob@example.org").ok());
  h.fake().expire(candidate_of("pr-2"));
  auto r = wait(h.provider().fetch_order(h.context("pr-2").dump()));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(json::parse(r.json)["status"], "failed");
  EXPECT_EQ(json::parse(r.json)["failure_reason"], "expired");

  json unknown = h.context("pr-2");
  unknown["vendor_state"]["candidate_id"] = "999";
  EXPECT_EQ(wait(h.provider().fetch_order(unknown.dump())).status, CallStatus::not_found);
  EXPECT_EQ(wait(h.provider().fetch_order("{}")).status, CallStatus::invalid);
}

TEST_F(HackerRankPlugin, CancelOrderWithdrawsTheInvite) {
  ASSERT_TRUE(h.create("pr-1", "4711", "ada@example.org").ok());
  const std::string cid = candidate_of("pr-1");
  auto r = wait(h.provider().cancel_order(h.context("pr-1").dump()));
  ASSERT_TRUE(r.ok()) << r.detail;
  json u = json::parse(r.json);
  EXPECT_EQ(u["status"], "failed");
  EXPECT_EQ(u["failure_reason"], "cancelled");
  EXPECT_EQ(h.fake().candidate(cid)->at("invite_valid"), false);
  EXPECT_EQ(count_requests("DELETE", "/candidates/" + cid + "/invite"), 1);
}

TEST_F(HackerRankPlugin, RunActionIsNotOffered) {
  EXPECT_FALSE(h.provider().supports_run_action());
  EXPECT_TRUE(h.provider().supports_fetch_order());
  EXPECT_TRUE(h.provider().supports_cancel_order());
  EXPECT_EQ(wait(h.provider().run_action(R"({"action":"resend_invitation","order":{}})")).status,
            CallStatus::unsupported);
}

TEST_F(HackerRankPlugin, MalformedRequestsAreInvalidNotCrashes) {
  EXPECT_EQ(wait(h.provider().create_order("not json")).status, CallStatus::invalid);
  EXPECT_EQ(wait(h.provider().create_order("{}")).status, CallStatus::invalid);
  EXPECT_EQ(wait(h.provider().cancel_order("[]")).status, CallStatus::invalid);
  EXPECT_EQ(h.fake().invitations_created(), 0);
}

}  // namespace
}  // namespace ttb::hackerrank::testing
