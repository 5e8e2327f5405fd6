// mapping: the order request read, the invite body, the order context, assessments as tests, and
// a candidature with its results as an order update (status, score, summary, report link,
// details), in the shapes of TestGorilla's public API docs.
#include "mapping.h"

#include <gtest/gtest.h>

#include "config.h"
#include "ttbridge/plugin.hpp"

namespace ttb::testgorilla {
namespace {

using nlohmann::json;

ttb_status status_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const sdk::Error& e) {
    return e.status();
  }
  return TTB_STATUS_OK;
}

const json kRequest = {
    {"order_id", "pr_1"},
    {"test_id", "501"},
    {"candidate",
     {{"id", "1001"},
      {"first_name", "Ada"},
      {"last_name", "Lovelace"},
      {"email", "Ada@Example.org"}}},
    {"callback_url", "https://ttb.example/callbacks/acme/testgorilla/orders/pr_1"}};

OrderRef ref() {
  OrderRef r;
  r.order_id = "pr_1";
  r.assessment_id = "501";
  r.candidature_id = "8001";
  r.test_taker_id = "70001";
  r.email = "ada@example.org";
  return r;
}

json candidature(const std::string& status) {
  return {{"id", 8001},
          {"email", "ada@example.org"},
          {"full_name", "Ada Lovelace"},
          {"avg_score", 76},
          {"status", status},
          {"stage", "NYE"},
          {"test_taker", 70001},
          {"created", "2026-01-01T10:00:00+00:00"}};
}

// The docs' example: a Big 5 result without a score, and scored tests.
const json kResults = {{"count", 3},
                       {"results",
                        {{{"id", 123456},
                          {"name", "Big 5 (OCEAN)"},
                          {"score", nullptr},
                          {"completed", true},
                          {"algorithm", "big_5"},
                          {"score_display", "2-1-1-2-1_32.0-34.0-33.0-35.0-32.0"}},
                         {{"id", 234567},
                          {"name", "Problem solving"},
                          {"score", 85},
                          {"completed", true},
                          {"algorithm", "basic"},
                          {"score_display", ""}},
                         {{"id", 234568},
                          {"name", "Custom questions"},
                          {"score", 70.5},
                          {"completed", true},
                          {"algorithm", "custom_questions"},
                          {"score_display", ""}}}}};

TEST(TestGorillaMapping, ReadsTheOrderRequestAndBuildsTheInviteBody) {
  OrderRequest o = parse_order_request(kRequest.dump());
  EXPECT_EQ(o.order_id, "pr_1");
  EXPECT_EQ(o.assessment_id, "501");
  EXPECT_EQ(build_invite_body(o),
            (json{{"email", "Ada@Example.org"}, {"first_name", "Ada"}, {"last_name", "Lovelace"}}));
}

TEST(TestGorillaMapping, RefusesRequestsItCannotSend) {
  auto with = [](const char* key, json value) {
    json r = kRequest;
    r[key] = std::move(value);
    return r.dump();
  };
  EXPECT_EQ(status_of([] { parse_order_request("nope"); }), TTB_STATUS_INVALID);
  EXPECT_EQ(status_of([&] { parse_order_request(with("test_id", "abc")); }), TTB_STATUS_INVALID);
  EXPECT_EQ(status_of([&] { parse_order_request(with("test_id", nullptr)); }), TTB_STATUS_INVALID);
  EXPECT_EQ(status_of([&] {
              parse_order_request(with("candidate", {{"email", "no-at"}}));
            }),
            TTB_STATUS_INVALID);
  EXPECT_EQ(status_of([&] { parse_order_request(with("candidate", json::object())); }),
            TTB_STATUS_INVALID);
}

TEST(TestGorillaMapping, OrderContextFromVendorStateOrVendorOrderId) {
  json ctx = {{"order_id", "pr_1"}, {"vendor_state", ref().vendor_state()}};
  OrderRef r = parse_order_context(ctx.dump());
  EXPECT_EQ(r.vendor_order_id(), "501/8001");
  EXPECT_EQ(r.test_taker_id, "70001");
  OrderRef fallback = parse_order_context(
      json{{"vendor_order_id", "501/8001"}, {"candidate", {{"email", "a@b.c"}}}}.dump());
  EXPECT_EQ(fallback.candidature_id, "8001");
  EXPECT_EQ(fallback.email, "a@b.c");
  EXPECT_TRUE(fallback.test_taker_id.empty());
  EXPECT_EQ(status_of([] { parse_order_context(R"({"vendor_order_id":"x"})"); }),
            TTB_STATUS_INVALID);
  EXPECT_EQ(status_of([] { parse_order_context(R"({"vendor_order_id":"501/../x"})"); }),
            TTB_STATUS_INVALID);
}

TEST(TestGorillaMapping, ArchivedAssessmentsAreNotOffered) {
  json page = {
      {"count", 2},
      {"results",
       {{{"id", 32}, {"name", "Python developer"}, {"candidates", 42}, {"status", "active"}},
        {{"id", 33}, {"name", "Old"}, {"status", "archived"}}}}};
  json tests = json::array();
  append_assessments(page, tests);
  ASSERT_EQ(tests.size(), 1u);
  EXPECT_EQ(tests[0], (json{{"id", "32"},
                            {"name", "Python developer"},
                            {"kind", "assessment"},
                            {"description", "42 candidate(s) invited so far"},
                            {"duration_minutes", nullptr}}));
  EXPECT_EQ(status_of([&] { append_assessments(json::object(), tests); }),
            TTB_STATUS_VENDOR_UNAVAILABLE);
}

TEST(TestGorillaMapping, FindsTheCandidatureByIdOrEmailAndKnowsWhenToPageOn) {
  json page = {{"count", 150},
               {"next", "https://x/api/assessments/candidature/?offset=100"},
               {"results", {candidature("invited")}}};
  EXPECT_TRUE(find_candidature(page, "8001", ""));
  EXPECT_FALSE(find_candidature(page, "8002", ""));
  EXPECT_TRUE(find_candidature(page, "", "ADA@example.org"));
  EXPECT_FALSE(find_candidature(page, "", "bob@example.org"));
  EXPECT_TRUE(has_more(page, 100));
  page["next"] = nullptr;
  EXPECT_FALSE(has_more(page, 100));
  page.erase("next");
  EXPECT_TRUE(has_more(page, 100));  // no link: the count decides
  EXPECT_FALSE(has_more(page, 150));
}

TEST(TestGorillaMapping, StatusesMapOntoTheOrder) {
  EXPECT_EQ(map_candidature(candidature("invited"), std::nullopt, ref(), "")["status"], "sent");
  EXPECT_EQ(map_candidature(candidature("started"), std::nullopt, ref(), "")["status"], "pending");
  json dq = map_candidature(candidature("disqualified"), std::nullopt, ref(), "");
  EXPECT_EQ(dq["status"], "failed");
  EXPECT_EQ(dq["failure_reason"], "rejected");
  EXPECT_FALSE(
      map_candidature(candidature("whatever"), std::nullopt, ref(), "").contains("status"));
  json linked = candidature("invited");
  linked["invitation_link"] = "https://app.testgorilla.com/testtaker/welcome/abc";
  EXPECT_EQ(map_candidature(linked, std::nullopt, ref(), "")["candidate_url"],
            "https://app.testgorilla.com/testtaker/welcome/abc");
  linked["invitation_link"] = "javascript:alert(1)";
  EXPECT_FALSE(map_candidature(linked, std::nullopt, ref(), "").contains("candidate_url"));
  json gone = candidature_gone_update(ref());
  EXPECT_EQ(gone["status"], "failed");
  EXPECT_EQ(gone["failure_reason"], "cancelled");
  EXPECT_EQ(map_candidature(candidature("started"), std::nullopt, ref(), "")["vendor_state"],
            ref().vendor_state());
}

TEST(TestGorillaMapping, CompletedCandidatureCarriesScoreSummaryReportAndDetails) {
  json u = map_candidature(candidature("completed"), kResults, ref(), kDefaultReportUrlTemplate);
  EXPECT_EQ(u["status"], "completed");
  EXPECT_EQ(u["order_id"], "pr_1");
  EXPECT_EQ(u["vendor_order_id"], "501/8001");
  EXPECT_DOUBLE_EQ(u["score"].get<double>(), 77.75);  // (85 + 70.5) / 2; Big 5 has no score
  EXPECT_EQ(u["summary"], "Assessment completed: 77.75% on average over 2 scored test(s).");
  EXPECT_EQ(u["report_url"],
            "https://app.testgorilla.com/customer/assessments/501/candidates/8001");
  EXPECT_EQ(u["details"]["tests"]["Problem solving"], "85%");
  EXPECT_EQ(u["details"]["tests"]["Big 5 (OCEAN)"], "2-1-1-2-1_32.0-34.0-33.0-35.0-32.0 (big_5)");
  EXPECT_EQ(u["details"]["testgorilla_average"], 76);
  EXPECT_EQ(u["details"]["stage"], "NYE");
  EXPECT_FALSE(
      map_candidature(candidature("completed"), kResults, ref(), "").contains("report_url"));
}

TEST(TestGorillaMapping, PersonalityOnlyAssessmentHasNoScore) {
  json only_big5 = {{"results", {kResults["results"][0]}}};
  EXPECT_TRUE(score_of(only_big5).is_null());
  json u = map_candidature(candidature("completed"), only_big5, ref(), "");
  EXPECT_TRUE(u["score"].is_null());
  EXPECT_EQ(u["summary"], "Assessment completed; no test in it gives a score.");
}

}  // namespace
}  // namespace ttb::testgorilla
