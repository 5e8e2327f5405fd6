// mapping: the engine's order request read, the invite body and the "sent" update built, the
// test list mapped, and HackerRank's TestCandidate -> our order update, on payloads shaped like
// the documented ones.
#include "mapping.h"

#include <functional>

#include <gtest/gtest.h>

#include "ttbridge/plugin.hpp"

namespace ttb::hackerrank {
namespace {

using nlohmann::json;

const OrderRef kOrder{"pr-1", "4711", "1287345", "tok"};

json finished() {
  return json::parse(R"({
    "id":"1287345","full_name":"Ada Lovelace","email":"ada@example.org","status":7,
    "score":42.5,"percentage_score":85,"max_score":50,"invite_valid":true,
    "invite_link":"https://www.hackerrank.com/tests/x9k2/login?b=1",
    "attempt_starttime":"2025-03-01T10:00:00Z","attempt_endtime":"2025-03-01T11:00:00Z",
    "report_url":"https://www.hackerrank.com/x/tests/4711/candidates/1287345/summary",
    "authenticated_report_url":"https://www.hackerrank.com/x/auth/report/abc",
    "pdf_url":"https://www.hackerrank.com/x/pdf/abc",
    "integrity_status":"No Issues Detected","performance_summary":"Strong on algorithms.",
    "questions":{"q1":{"name":"Two Sum","type":"code","score":20,"max_score":25},
                 "q2":{"name":"LRU Cache","type":"code","score":22.5,"max_score":25}},
    "scores_sections_split":{"Algorithms":{"score":20,"max_score":25},"Design":{"score":22.5,"max_score":25}},
    "brand_new_field":{"nested":[1,2,3]}})");
}

int depth(const json& j) {
  if (!j.is_object() && !j.is_array()) return 0;
  int d = 0;
  for (const auto& item : j.items()) d = std::max(d, depth(item.value()));
  return d + 1;
}

TEST(HackerRankMapping, FinishedCandidateIsCompletedWithScoreSummaryLinksAndSections) {
  json u = map_candidate(finished(), kOrder, std::string("https://hr.example/report.pdf"));
  EXPECT_EQ(u["status"], "completed");
  EXPECT_EQ(u["order_id"], "pr-1");
  EXPECT_EQ(u["vendor_order_id"], "4711/1287345");
  EXPECT_DOUBLE_EQ(u["score"].get<double>(), 85.0);
  EXPECT_EQ(u["report_url"],
            "https://www.hackerrank.com/x/auth/report/abc");  // authenticated first
  EXPECT_EQ(u["candidate_url"], "https://www.hackerrank.com/tests/x9k2/login?b=1");
  const std::string summary = u["summary"];
  EXPECT_NE(summary.find("85%"), std::string::npos);
  EXPECT_NE(summary.find("Strong on algorithms."), std::string::npos);
  EXPECT_NE(summary.find("No Issues Detected"), std::string::npos);
  ASSERT_EQ(u["attachments"].size(), 1u);
  EXPECT_EQ(u["attachments"][0]["url"], "https://hr.example/report.pdf");
  EXPECT_EQ(u["attachments"][0].size(), 2u);  // exactly url + description
  EXPECT_EQ(u["details"]["sections"]["Algorithms"], "80% (20/25)");
  EXPECT_EQ(u["details"]["sections"]["Design"], "90% (22.5/25)");
  EXPECT_FALSE(u["details"].contains("questions"));  // sections win
  EXPECT_EQ(u["details"]["integrity"], "No Issues Detected");
  EXPECT_LE(depth(u["details"]), 2);
  EXPECT_EQ(u["vendor_state"]["token"], "tok");
}

TEST(HackerRankMapping, DurationComesFromTheAttemptTimes) {
  EXPECT_EQ(map_candidate(finished(), kOrder, std::nullopt)["duration_seconds"], 3600);
  json c = finished();
  c["attempt_starttime"] = "2025-03-01T10:00:00.250+01:00";
  c["attempt_endtime"] = "2025-03-01T09:41:05Z";
  EXPECT_EQ(map_candidate(c, kOrder, std::nullopt)["duration_seconds"], 2465);
  c["attempt_endtime"] = "2025-03-01T08:00:00Z";  // before the start: not a duration
  EXPECT_FALSE(map_candidate(c, kOrder, std::nullopt).contains("duration_seconds"));
  c["attempt_endtime"] = nullptr;
  EXPECT_FALSE(map_candidate(c, kOrder, std::nullopt).contains("duration_seconds"));
  c["attempt_endtime"] = "01/03/2025 10:00";
  EXPECT_FALSE(map_candidate(c, kOrder, std::nullopt).contains("duration_seconds"));
}

TEST(HackerRankMapping, QuestionsBecomeDetailsWhenThereAreNoSections) {
  json c = finished();
  c.erase("scores_sections_split");
  json u = map_candidate(c, kOrder, std::nullopt);
  EXPECT_EQ(u["details"]["questions"]["Two Sum"], "80% (20/25)");
  EXPECT_EQ(u["details"]["questions"]["LRU Cache"], "90% (22.5/25)");
  EXPECT_LE(depth(u["details"]), 2);
}

TEST(HackerRankMapping, PdfNotReadyLeavesTheAttachmentOut) {
  json u = map_candidate(finished(), kOrder, std::nullopt);
  EXPECT_EQ(u["status"], "completed");
  EXPECT_TRUE(u["attachments"].empty());
}

TEST(HackerRankMapping, ReportUrlFallsBackToTheUnauthenticatedOne) {
  json c = finished();
  c["authenticated_report_url"] = nullptr;
  EXPECT_EQ(map_candidate(c, kOrder, std::nullopt)["report_url"],
            "https://www.hackerrank.com/x/tests/4711/candidates/1287345/summary");
}

TEST(HackerRankMapping, ScoreIsClampedAndFallsBackToScoreOverMax) {
  json c = finished();
  c["percentage_score"] = 130;
  EXPECT_DOUBLE_EQ(map_candidate(c, kOrder, std::nullopt)["score"].get<double>(), 100.0);
  c["percentage_score"] = -3;
  EXPECT_DOUBLE_EQ(map_candidate(c, kOrder, std::nullopt)["score"].get<double>(), 0.0);
  c["percentage_score"] = nullptr;  // 42.5 / 50
  EXPECT_DOUBLE_EQ(map_candidate(c, kOrder, std::nullopt)["score"].get<double>(), 85.0);
  c.erase("max_score");  // 42.5 / (25 + 25) from the questions
  EXPECT_DOUBLE_EQ(map_candidate(c, kOrder, std::nullopt)["score"].get<double>(), 85.0);
  c.erase("questions");
  EXPECT_TRUE(map_candidate(c, kOrder, std::nullopt)["score"].is_null());
}

TEST(HackerRankMapping, StatusTable) {
  struct Row {
    json status;
    json invite_valid;
    const char* ours;
    const char* reason;
  };
  const Row rows[] = {
      {-1, true, "sent", nullptr},      {-1, nullptr, "sent", nullptr},
      {-1, false, "failed", "expired"}, {0, true, "pending", nullptr},
      {3, true, "pending", nullptr},    {6, false, "pending", nullptr},
      {7, true, "completed", nullptr},  {"7", true, "completed", nullptr},
  };
  for (const auto& row : rows) {
    json c = {{"id", "1"}, {"status", row.status}};
    if (!row.invite_valid.is_null()) c["invite_valid"] = row.invite_valid;
    json u = map_candidate(c, kOrder, std::nullopt);
    EXPECT_EQ(u["status"], row.ours) << c.dump();
    if (row.reason) {
      EXPECT_EQ(u["failure_reason"], row.reason) << c.dump();
    } else {
      EXPECT_FALSE(u.contains("failure_reason")) << c.dump();
    }
    if (u["status"] != "completed") {
      EXPECT_TRUE(u["score"].is_null()) << c.dump();
    }
    EXPECT_FALSE(u["summary"].get<std::string>().empty());
  }
}

TEST(HackerRankMapping, CandidateWithoutStatusIsAVendorError) {
  try {
    map_candidate(json{{"id", "1"}}, kOrder, std::nullopt);
    FAIL();
  } catch (const ttb::sdk::Error& e) {
    EXPECT_EQ(e.status(), TTB_STATUS_VENDOR_UNAVAILABLE);
  }
}

TEST(HackerRankMapping, EventIdChangesWithStateButNotOnRedelivery) {
  json c = finished();
  const std::string a = callback_event_id(c, kOrder, true);
  EXPECT_EQ(a, callback_event_id(finished(), kOrder, true));
  EXPECT_NE(a, callback_event_id(c, kOrder, false));  // the PDF appeared
  c["percentage_score"] = 90;
  EXPECT_NE(a, callback_event_id(c, kOrder, true));  // a re-evaluation
  json started = {{"id", "1287345"}, {"status", 1}};
  EXPECT_NE(callback_event_id(started, kOrder, false),
            callback_event_id(finished(), kOrder, false));
}

TEST(HackerRankMapping, PdfLinkShapes) {
  EXPECT_EQ(pdf_link_from(json{{"url", "https://a/b.pdf"}}), "https://a/b.pdf");
  EXPECT_EQ(pdf_link_from(json{{"pdf_url", "https://a/c.pdf"}}), "https://a/c.pdf");
  EXPECT_EQ(pdf_link_from(json("https://a/d.pdf")), "https://a/d.pdf");
  EXPECT_FALSE(pdf_link_from(json{{"url", "javascript:alert(1)"}}));
  EXPECT_FALSE(pdf_link_from(json::object()));
}

TEST(HackerRankMapping, InvalidUtf8InVendorTextDoesNotBreakTheUpdate) {
  json c = finished();
  c["performance_summary"] = std::string("bad \xff\xfe bytes");
  json u = map_candidate(c, kOrder, std::nullopt);
  EXPECT_NO_THROW((void)u.dump(-1, ' ', false, json::error_handler_t::replace));
}

// ---- create_order's pure steps

const char* kRequest = R"({"order_id":"pr-1","test_id":"4711",
  "candidate":{"id":1001,"first_name":"Ada","last_name":"Lovelace","email":"ada@example.org","phone":"+4670"},
  "job":{"id":77,"title":"C++ Engineer"},"options":{},"locale":"en",
  "callback_url":"https://bridge.example/callbacks/acme/hackerrank/orders/pr-1","extra":true})";

TEST(HackerRankOrderRequest, ReadsTheDocumentedFields) {
  OrderRequest o = parse_order_request(kRequest);
  EXPECT_EQ(o.order_id, "pr-1");
  EXPECT_EQ(o.test_id, "4711");
  EXPECT_EQ(o.candidate_id, "1001");
  EXPECT_EQ(o.email, "ada@example.org");
  EXPECT_EQ(o.job_id, "77");
  EXPECT_EQ(o.job_title, "C++ Engineer");
  EXPECT_EQ(o.callback_url, "https://bridge.example/callbacks/acme/hackerrank/orders/pr-1");
}

TEST(HackerRankOrderRequest, MissingEmailIsInvalid) {
  try {
    parse_order_request(
        R"({"order_id":"1","test_id":"2","callback_url":"https://x","candidate":{"first_name":"A"}})");
    FAIL();
  } catch (const ttb::sdk::Error& e) {
    EXPECT_EQ(e.status(), TTB_STATUS_INVALID);
    EXPECT_NE(std::string(e.what()).find("candidate.email"), std::string::npos);
  }
  EXPECT_THROW(parse_order_request("{"), ttb::sdk::Error);
  EXPECT_THROW(parse_order_request(R"({"order_id":"1","test_id":"2","candidate":{"email":"a@b"}})"),
               ttb::sdk::Error);
}

TEST(HackerRankOrderRequest, InviteBodySetsCallbackTokenAndSendEmailExplicitly) {
  OrderRequest o = parse_order_request(kRequest);
  json body = build_invite_body(o, false, "tok");
  EXPECT_EQ(body["email"], "ada@example.org");
  EXPECT_EQ(body["full_name"], "Ada Lovelace");
  ASSERT_TRUE(body.contains("send_email"));
  EXPECT_EQ(body["send_email"], false);
  EXPECT_EQ(build_invite_body(o, true, "tok")["send_email"], true);
  EXPECT_EQ(body["test_result_url"], o.callback_url);
  EXPECT_EQ(body["accept_result_updates"], true);
  EXPECT_EQ(body["webhook_authentication"],
            (json{{"type", "bearer_token"}, {"data", {{"token", "tok"}}}}));
  EXPECT_EQ(body["invite_metadata"]["ttbridge_order_id"], "pr-1");
  EXPECT_EQ(body["invite_metadata"]["teamtailor_candidate_id"], "1001");
  EXPECT_EQ(body["invite_metadata"]["teamtailor_job_id"], "77");
  EXPECT_EQ(body["invite_metadata"]["job_title"], "C++ Engineer");
  EXPECT_EQ(body["invite_metadata"]["phone"], "+4670");
}

TEST(HackerRankOrderRequest, InviteAnswerBecomesASentUpdate) {
  OrderRequest o = parse_order_request(kRequest);
  json u = invite_update(
      o,
      json::parse(
          R"({"id":1287345,"email":"ada@example.org","test_link":"https://hr/t/x9k2/login?b=1"})"),
      "tok");
  EXPECT_EQ(u["order_id"], "pr-1");
  EXPECT_EQ(u["status"], "sent");
  EXPECT_EQ(u["vendor_order_id"], "4711/1287345");
  EXPECT_EQ(u["candidate_url"], "https://hr/t/x9k2/login?b=1");
  EXPECT_EQ(u["vendor_state"],
            (json{{"test_id", "4711"}, {"candidate_id", "1287345"}, {"token", "tok"}}));
  EXPECT_THROW(invite_update(o, json::parse(R"({"email":"a"})"), "tok"), ttb::sdk::Error);
}

// ---- list_tests: which tests are offered

TEST(HackerRankTestListing, OffersPublishedNonArchivedTestsAsAssessments) {
  json page = json::parse(R"({"data":[
    {"id":"1","name":"C++ Senior","duration":90,"state":"active","draft":false,"instructions":"Do it"},
    {"id":"2","name":"Draft","duration":60,"state":"active","draft":true},
    {"id":"3","name":"Old","duration":60,"state":"archived","draft":false},
    {"id":4,"name":"Numeric id","duration":"45","unknown":{"x":1}},
    {"name":"no id"}, 17],
    "page_total":6,"offset":0,"previous":"","next":"","first":"","last":"","total":6})");
  json tests = json::array();
  append_invitable_tests(page, tests);
  ASSERT_EQ(tests.size(), 2u);
  EXPECT_EQ(tests[0], (json{{"id", "1"},
                            {"name", "C++ Senior"},
                            {"kind", "assessment"},
                            {"description", "Do it"},
                            {"duration_minutes", 90}}));
  EXPECT_EQ(tests[1]["id"], "4");
  EXPECT_EQ(tests[1]["duration_minutes"], 45);
}

// A float is cut to whole minutes; one no long long holds is no duration (the cast of 1e300
// was undefined behaviour).
TEST(HackerRankTestListing, AFloatDurationOutOfRangeIsNoDuration) {
  json page = json::parse(R"({"data":[{"id":"1","duration":12.7},{"id":"2","duration":1e300},
    {"id":"3","duration":-5.0}]})");
  json tests = json::array();
  append_invitable_tests(page, tests);
  ASSERT_EQ(tests.size(), 3u);
  EXPECT_EQ(tests[0]["duration_minutes"], 12);
  EXPECT_TRUE(tests[1]["duration_minutes"].is_null()) << tests[1];
  EXPECT_TRUE(tests[2]["duration_minutes"].is_null()) << tests[2];
}

TEST(HackerRankTestListing, ATestWhoseIdTheHostWouldRefuseIsSkipped) {
  json tests = json::array();
  append_invitable_tests(
      json{{"data", json::array({json{{"id",
                                       "a\x7f"
                                       "b"}},
                                 json{{"id", std::string(201, '1')}}, json{{"id", "2"}}})}},
      tests);
  ASSERT_EQ(tests.size(), 1u);
  EXPECT_EQ(tests[0]["id"], "2");
}

TEST(HackerRankTestListing, APageWithoutDataIsAVendorError) {
  json tests = json::array();
  EXPECT_THROW(append_invitable_tests(json{{"tests", json::array()}}, tests), ttb::sdk::Error);
}

}  // namespace
}  // namespace ttb::hackerrank
