// provider: codility.so through core/plugins against the Codility fake: tests, invites (and the
// retried invite that must not invite twice), callbacks with the per-order token, polling, and
// the error paths (429, 5xx, slow answers, forged tokens, bad tokens).
#include <gtest/gtest.h>

#include "plugin_harness.h"

namespace ttb::codility::testing {
namespace {

using ttb::fakes::codility::FakeCodilityOptions;
using ttb::fakes::codility::Fault;
using ttb::fakes::codility::TaskResult;
using ttb::fakes::codility::TestSpec;
using ttb::plugins::CallStatus;

const std::vector<TaskResult> kTasks = {{"BinaryGap", "cpp", 100, 100},
                                        {"Brackets", "py", 70, 100}};

class CodilityPlugin : public ::testing::Test {
 protected:
  explicit CodilityPlugin(FakeCodilityOptions options = {}) : h(std::move(options)) {
    h.fake().add_test(TestSpec{"T1", "C++ Senior", false});
  }

  std::string session_of(const std::string& order_id) {
    return h.context(order_id)["vendor_state"]["session_id"].get<std::string>();
  }

  // The callback's result JSON ({reply, event_id, updates}) of the last delivery.
  json last_callback() {
    auto cbs = h.callbacks();
    if (cbs.empty() || !cbs.back().result.ok()) return json();
    return json::parse(cbs.back().result.json);
  }

  PluginHarness h;
};

TEST_F(CodilityPlugin, ListsEveryPageOfTestsWithoutArchivedOnes) {
  h.fake().add_tests(45);
  h.fake().add_test(TestSpec{"old", "Archived", true});
  auto r = wait(h.provider().list_tests());
  ASSERT_TRUE(r.ok()) << r.detail;
  json tests = json::parse(r.json)["tests"];
  ASSERT_EQ(tests.size(), 46u);  // T1 + t1..t45
  EXPECT_EQ(tests[0], (json{{"id", "T1"},
                            {"name", "C++ Senior"},
                            {"kind", "assessment"},
                            {"description", ""},
                            {"duration_minutes", nullptr}}));
  for (const auto& t : tests) EXPECT_NE(t["id"], "old");
  auto requests = h.fake().requests();
  ASSERT_EQ(requests.size(), 3u);  // 46 tests at 20 a page
  for (const auto& req : requests) {
    EXPECT_EQ(req.query.at("is_archived"), "False");
    EXPECT_EQ(*ttb::net::find_header(req.headers, "Authorization"),
              "Bearer " + h.fake().api_token());
  }
}

TEST_F(CodilityPlugin, CreateOrderInvitesWithThePerOrderCallbackAndReportsSent) {
  auto a = h.create("pr-1", "T1", "ada@example.org");
  ASSERT_TRUE(a.ok()) << a.detail;
  json u = json::parse(a.json);
  EXPECT_EQ(u["status"], "sent");
  EXPECT_EQ(u["order_id"], "pr-1");
  const std::string sid = u["vendor_order_id"];
  EXPECT_EQ(u["vendor_state"]["session_id"], sid);
  EXPECT_EQ(u["candidate_url"], h.fake().session(sid)->at("test_link"));

  json body = h.fake().invite_bodies().at(0);
  EXPECT_EQ(body["candidates"][0]["id"], "pr-1");
  const std::string url = body["event_callbacks"][0]["url"];
  const std::string prefix = h.callback_base() + "/results/pr-1/";
  ASSERT_EQ(url.rfind(prefix, 0), 0u) << url;
  EXPECT_EQ(url.size(), prefix.size() + 64);
  EXPECT_EQ(body["event_callbacks"][1], (json{{"event", "similarity"}, {"url", url}}));

  // A second order gets its own token.
  ASSERT_TRUE(h.create("pr-2", "T1", "bob@example.org").ok());
  EXPECT_NE(h.fake().invite_bodies().at(1)["event_callbacks"][0]["url"], url);
  EXPECT_EQ(h.fake().requests_to("GET", "/api/tests/T1/sessions/"), 2);
}

TEST_F(CodilityPlugin, RetriedCreateOrderFindsTheSessionAndDoesNotInviteTwice) {
  auto first = h.create("pr-1", "T1", "ada@example.org");
  ASSERT_TRUE(first.ok()) << first.detail;
  auto again = h.create("pr-1", "T1", "ada@example.org");
  ASSERT_TRUE(again.ok()) << again.detail;
  EXPECT_EQ(h.fake().invitations_created(), 1);
  EXPECT_EQ(h.fake().requests_to("POST", "/api/tests/T1/invite/"), 1);
  json a = json::parse(first.json), b = json::parse(again.json);
  EXPECT_EQ(b["vendor_order_id"], a["vendor_order_id"]);
  EXPECT_EQ(b["status"], "sent");
  EXPECT_EQ(b["candidate_url"], a["candidate_url"]);
}

TEST_F(CodilityPlugin, AnInviteWhoseAnswerWasLostIsNotRepeated) {
  // The invite lands at Codility but its answer never reaches us: the engine retries, and the
  // retry must find the session instead of inviting again.
  h.fake().inject(Fault::slow(std::chrono::milliseconds(0)));  // the lookup answers normally
  h.fake().inject(Fault::lose_answer(504));                    // the invite's answer is lost
  auto lost = h.create("pr-1", "T1", "ada@example.org");
  EXPECT_EQ(lost.status, CallStatus::vendor_unavailable);
  ASSERT_EQ(h.fake().invitations_created(), 1);

  auto retried = h.create("pr-1", "T1", "ada@example.org");
  ASSERT_TRUE(retried.ok()) << retried.detail;
  EXPECT_EQ(json::parse(retried.json)["vendor_order_id"], h.fake().session_ids_for("pr-1").at(0));
  EXPECT_EQ(h.fake().invitations_created(), 1);
  EXPECT_EQ(h.fake().requests_to("POST", "/api/tests/T1/invite/"), 1);
}

class CodilityPluginUnfilteredLists : public CodilityPlugin {
 protected:
  static FakeCodilityOptions options() {
    FakeCodilityOptions o;
    o.filter_by_candidate = false;  // a Codility that ignores ?candidate=
    o.page_size = 2;
    return o;
  }
  CodilityPluginUnfilteredLists() : CodilityPlugin(options()) {}
};

TEST_F(CodilityPluginUnfilteredLists, RetryFindsTheSessionByPagingWhenTheFilterIsIgnored) {
  for (const char* id : {"pr-a", "pr-b", "pr-c", "pr-d", "pr-e"})
    ASSERT_TRUE(h.create(id, "T1", std::string(id) + "@example.org").ok());
  ASSERT_EQ(h.fake().invitations_created(), 5);
  auto again = wait(h.provider().create_order(h.order_request("pr-e", "T1", "e@x.org").dump()));
  ASSERT_TRUE(again.ok()) << again.detail;
  EXPECT_EQ(json::parse(again.json)["vendor_order_id"], session_of("pr-e"));
  EXPECT_EQ(h.fake().invitations_created(), 5);
}

// Walking JSON nested 150,000 deep (the session lookup copied a session) overflowed the stack of
// the plugin host every tenant shares. So deep an answer is refused as one that is not JSON.
TEST_F(CodilityPlugin, AnAnswerNestedTooDeepIsAVendorErrorNotACrash) {
  const std::string deep = std::string(150'000, '[') + std::string(150'000, ']');
  h.fake().inject(
      Fault::answer(200, R"({"results":[{"id":"s1","candidate":"pr-1","extra":)" + deep + "}]}"));
  auto created = h.create("pr-1", "T1", "ada@example.org");
  EXPECT_EQ(created.status, CallStatus::vendor_unavailable) << created.detail;
  EXPECT_NE(created.detail.find("not JSON"), std::string::npos) << created.detail;
  EXPECT_EQ(h.fake().invitations_created(), 0);
}

TEST_F(CodilityPlugin, RateLimitedInviteReportsTheRetryTime) {
  h.fake().inject(Fault::rate_limit(7));
  auto r = h.create("pr-1", "T1", "ada@example.org");
  EXPECT_EQ(r.status, CallStatus::rate_limited);
  ASSERT_TRUE(r.retry_after.has_value());
  EXPECT_EQ(r.retry_after->count(), 7000);

  h.fake().inject(Fault::rate_limit(3, /*retry_after_header=*/false, /*reset_header=*/true));
  r = h.create("pr-1", "T1", "ada@example.org");
  EXPECT_EQ(r.status, CallStatus::rate_limited);
  ASSERT_TRUE(r.retry_after.has_value());
  EXPECT_GE(r.retry_after->count(), 1000);  // the epoch reset, give or take the clock's second
  EXPECT_LE(r.retry_after->count(), 4000);

  h.fake().inject(Fault::rate_limit(3, false, false));
  r = h.create("pr-1", "T1", "ada@example.org");
  EXPECT_EQ(r.status, CallStatus::rate_limited);
  EXPECT_EQ(r.retry_after->count(), 60000);  // hourly limit, no header: a minute
  EXPECT_EQ(h.fake().invitations_created(), 0);
}

TEST_F(CodilityPlugin, TheHourlyLimitIsHonoured) {
  FakeCodilityOptions options;
  options.hourly_limit = 1;
  PluginHarness limited(options);
  limited.fake().add_test(TestSpec{"T1", "Java", false});
  auto r = limited.create("pr-1", "T1", "ada@example.org");  // lookup passes, invite is over
  EXPECT_EQ(r.status, CallStatus::rate_limited);
  ASSERT_TRUE(r.retry_after.has_value());
  EXPECT_GT(r.retry_after->count(), 3'000'000);  // the rest of the hour
  EXPECT_EQ(limited.fake().invitations_created(), 0);
}

TEST_F(CodilityPlugin, ServerErrorsSlowAnswersAndBadTokens) {
  h.fake().inject(Fault::error(502));
  EXPECT_EQ(wait(h.provider().list_tests()).status, CallStatus::vendor_unavailable);
  h.fake().inject(Fault::slow(std::chrono::milliseconds(300)));
  EXPECT_TRUE(wait(h.provider().list_tests()).ok());

  json config = h.config();
  config["api_token"] = "wrong-token";
  auto made = h.make_provider(config);
  ASSERT_TRUE(made.provider) << made.error;
  auto r = wait(made.provider->list_tests());
  EXPECT_EQ(r.status, CallStatus::auth);
  EXPECT_EQ(r.detail.find("wrong-token"), std::string::npos) << r.detail;
}

TEST_F(CodilityPlugin, BadConfigFailsCreateNamingTheSettingNotTheValue) {
  auto made = h.make_provider({{"base_url", "not a url"}, {"api_token", "secret-tok"}});
  EXPECT_FALSE(made.provider);
  EXPECT_NE(made.error.find("base_url"), std::string::npos) << made.error;
  EXPECT_EQ(made.error.find("secret-tok"), std::string::npos) << made.error;
}

TEST_F(CodilityPlugin, CallbackRefetchesMapsAndDedupesExactRedeliveries) {
  ASSERT_TRUE(h.create("pr-1", "T1", "ada@example.org").ok());
  const std::string sid = session_of("pr-1");
  ASSERT_TRUE(h.fake().evaluate(sid, kTasks));

  auto d = h.fake().send_callback(sid, "result");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->status, 200) << d->response_body << d->error;
  json first = last_callback();
  ASSERT_EQ(first["updates"].size(), 1u) << first.dump();
  json u = first["updates"][0];
  EXPECT_EQ(u["order_id"], "pr-1");
  EXPECT_EQ(u["vendor_order_id"], sid);
  EXPECT_EQ(u["status"], "completed");
  EXPECT_EQ(u["score"], 85);
  EXPECT_EQ(u["report_url"], h.fake().session(sid)->at("report_link"));
  EXPECT_EQ(u["attachments"][0]["url"], h.fake().session(sid)->at("pdf_report_url"));
  EXPECT_EQ(u["details"]["tasks"]["Brackets (py)"], "70% (70/100)");

  // The same delivery again: the same event id, so the host drops it.
  ASSERT_EQ(h.fake().send_callback(sid, "result")->status, 200);
  EXPECT_EQ(last_callback()["event_id"], first["event_id"]);

  // The similarity check is news: another event id, and the flag in the summary.
  ASSERT_TRUE(h.fake().set_similarity(sid, "suspicious"));
  ASSERT_EQ(h.fake().send_callback(sid, "similarity")->status, 200);
  json similar = last_callback();
  EXPECT_NE(similar["event_id"], first["event_id"]);
  EXPECT_NE(similar["updates"][0]["summary"].get<std::string>().find("plagiarism"),
            std::string::npos);
}

TEST_F(CodilityPlugin, ForgedTokenIsRefusedBeforeAnyVendorCall) {
  ASSERT_TRUE(h.create("pr-1", "T1", "ada@example.org").ok());
  ASSERT_TRUE(h.create("pr-2", "T1", "bob@example.org").ok());
  const std::string sid = session_of("pr-1");
  const std::string good = *h.fake().callback_url(sid, "result");
  const std::string other = *h.fake().callback_url(session_of("pr-2"), "result");
  const int reads = h.fake().requests_to("GET", "/api/sessions/");
  const std::string body = json{{"event", "result"}, {"session", {{"id", sid}}}}.dump();

  std::string forged = good;
  forged.back() = forged.back() == '0' ? '1' : '0';
  EXPECT_EQ(h.fake().post(forged, body).status, 401);
  // pr-2's token does not open pr-1.
  EXPECT_EQ(
      h.fake()
          .post(h.callback_base() + "/results/pr-1/" + other.substr(other.rfind('/') + 1), body)
          .status,
      401);
  EXPECT_EQ(h.fake().post(h.callback_base() + "/orders/pr-1", body).status, 401);
  EXPECT_EQ(h.fake().post(h.callback_base() + "/results/pr-1", body).status, 401);
  EXPECT_EQ(h.fake().requests_to("GET", "/api/sessions/"), reads);
  for (const auto& cb : h.callbacks()) {
    ASSERT_TRUE(cb.result.ok());
    EXPECT_TRUE(json::parse(cb.result.json).value("updates", json::array()).empty());
  }
}

TEST_F(CodilityPlugin, AValidTokenCannotCarryAnotherOrdersSession) {
  ASSERT_TRUE(h.create("pr-1", "T1", "ada@example.org").ok());
  ASSERT_TRUE(h.create("pr-2", "T1", "bob@example.org").ok());
  const std::string other_session = session_of("pr-2");
  ASSERT_TRUE(h.fake().evaluate(other_session, kTasks));
  auto d = h.fake().post(*h.fake().callback_url(session_of("pr-1"), "result"),
                         json{{"event", "result"}, {"session", {{"id", other_session}}}}.dump());
  EXPECT_EQ(d.status, 403);
  EXPECT_TRUE(last_callback().value("updates", json::array()).empty());
  // A body naming no session, or not JSON: refused without an update.
  EXPECT_EQ(h.fake().post(*h.fake().callback_url(session_of("pr-1"), "result"), "{").status, 400);
}

TEST_F(CodilityPlugin, CallbackRefetchRateLimitedFailsTheCallSoCodilityRetries) {
  ASSERT_TRUE(h.create("pr-1", "T1", "ada@example.org").ok());
  const std::string sid = session_of("pr-1");
  h.fake().inject(Fault::rate_limit(2));
  EXPECT_EQ(h.fake().send_callback(sid, "result")->status, 503);
  auto cb = h.callbacks().back().result;
  EXPECT_EQ(cb.status, CallStatus::rate_limited);
  EXPECT_EQ(cb.retry_after->count(), 2000);
}

TEST_F(CodilityPlugin, FetchOrderFollowsTheSession) {
  ASSERT_TRUE(h.create("pr-1", "T1", "ada@example.org").ok());
  const std::string sid = session_of("pr-1");
  auto fetch = [&] {
    auto r = wait(h.provider().fetch_order(h.context("pr-1").dump()));
    EXPECT_TRUE(r.ok()) << r.detail;
    return r.ok() ? json::parse(r.json) : json();
  };
  EXPECT_EQ(fetch()["status"], "sent");
  h.fake().start(sid);
  EXPECT_EQ(fetch()["status"], "pending");
  h.fake().evaluate(sid, kTasks);
  json done = fetch();
  EXPECT_EQ(done["status"], "completed");
  EXPECT_EQ(done["score"], 85);
  h.fake().remove(sid);
  json gone = fetch();
  EXPECT_EQ(gone["status"], "failed");
  EXPECT_EQ(gone["failure_reason"], "cancelled");
}

TEST_F(CodilityPlugin, CancelAndRunActionAreNotOffered) {
  EXPECT_TRUE(h.provider().supports_fetch_order());
  EXPECT_FALSE(h.provider().supports_cancel_order());
  EXPECT_FALSE(h.provider().supports_run_action());
}

TEST_F(CodilityPlugin, MalformedRequestsAreInvalidNotCrashes) {
  EXPECT_EQ(wait(h.provider().create_order("not json")).status, CallStatus::invalid);
  EXPECT_EQ(wait(h.provider().create_order("{}")).status, CallStatus::invalid);
  json bad_url = h.order_request("pr-1", "T1", "ada@example.org");
  bad_url["callback_url"] = "https://tt.example/callbacks/acme/codility";
  EXPECT_EQ(wait(h.provider().create_order(bad_url.dump())).status, CallStatus::invalid);
  EXPECT_EQ(wait(h.provider().fetch_order("[]")).status, CallStatus::invalid);
  EXPECT_EQ(h.fake().invitations_created(), 0);
  EXPECT_TRUE(h.fake().requests().empty());
}

}  // namespace
}  // namespace ttb::codility::testing
