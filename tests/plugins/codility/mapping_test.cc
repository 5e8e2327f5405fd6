// mapping: the order request read, the invite body built, the answers and sessions mapped onto
// order updates (status, score, summary, report link, PDF, per-task details), callback bodies.
#include "mapping.h"

#include <gtest/gtest.h>

#include "ttbridge/plugin.hpp"

namespace ttb::codility {
namespace {

using nlohmann::json;

json request() {
  return {{"order_id", "pr_1"},
          {"test_id", "T1"},
          {"candidate",
           {{"id", 1001},
            {"first_name", "Ada"},
            {"last_name", "Lovelace"},
            {"email", "ada@example.org"},
            {"phone", "+46700000000"}}},
          {"job", {{"id", "77"}, {"title", "C++ Engineer"}}},
          {"callback_url", "https://tt.example/callbacks/acme/codility/orders/pr_1"}};
}

json session() {
  return {{"id", "CS1-QX"},         {"url", "https://codility.com/api/sessions/CS1-QX/"},
          {"candidate", "pr_1"},    {"test_link", "https://app.codility.com/test/CS1-QX/"},
          {"start_date", nullptr},  {"close_date", nullptr},
          {"report_link", nullptr}, {"pdf_report_url", nullptr},
          {"similarity", nullptr},  {"evaluation", nullptr}};
}

json evaluated() {
  json s = session();
  s["start_date"] = "2025-03-01T10:00:00Z";
  s["close_date"] = "2025-03-01T11:00:00Z";
  s["report_link"] = "https://app.codility.com/report/CS1-QX/";
  s["pdf_report_url"] = "https://app.codility.com/report/CS1-QX.pdf";
  s["evaluation"] = {{"result", 170},
                     {"max_result", 200},
                     {"tasks", json::array({{{"task_name", "BinaryGap"},
                                             {"name", "BinaryGap"},
                                             {"prg_lang", "cpp"},
                                             {"result", 100},
                                             {"max_result", 100}},
                                            {{"task_name", "Brackets"},
                                             {"name", "Brackets"},
                                             {"prg_lang", "py"},
                                             {"result", 70},
                                             {"max_result", 100}}})}};
  return s;
}

const OrderRef kRef{"pr_1", "CS1-QX"};

ttb_status status_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const sdk::Error& e) {
    return e.status();
  }
  return TTB_STATUS_OK;
}

TEST(CodilityOrderRequest, ReadsTheRequestAndRefusesMissingFields) {
  OrderRequest o = parse_order_request(request().dump());
  EXPECT_EQ(o.order_id, "pr_1");
  EXPECT_EQ(o.test_id, "T1");
  EXPECT_EQ(o.candidate_id, "1001");
  EXPECT_EQ(o.email, "ada@example.org");
  EXPECT_EQ(o.job_title, "C++ Engineer");
  for (const char* field : {"order_id", "test_id", "callback_url", "candidate"}) {
    json r = request();
    r.erase(field);
    EXPECT_EQ(status_of([&] { parse_order_request(r.dump()); }), TTB_STATUS_INVALID) << field;
  }
  json r = request();
  r["candidate"].erase("email");
  EXPECT_EQ(status_of([&] { parse_order_request(r.dump()); }), TTB_STATUS_INVALID);
  r = request();
  r["callback_url"] = "ftp://x";
  EXPECT_EQ(status_of([&] { parse_order_request(r.dump()); }), TTB_STATUS_INVALID);
  EXPECT_EQ(status_of([] { parse_order_request("nope"); }), TTB_STATUS_INVALID);
}

TEST(CodilityInviteBody, NamesTheOrderAndBothCallbacks) {
  json body = build_invite_body(parse_order_request(request().dump()), "https://cb/x");
  ASSERT_EQ(body["candidates"].size(), 1u);
  const json& c = body["candidates"][0];
  EXPECT_EQ(c["id"], "pr_1");
  EXPECT_EQ(c["email"], "ada@example.org");
  EXPECT_EQ(c["first_name"], "Ada");
  EXPECT_EQ(c["last_name"], "Lovelace");
  json extra = json::parse(c["additional_data"].get<std::string>());
  EXPECT_EQ(extra["phone"], "+46700000000");
  EXPECT_EQ(extra["job"], "C++ Engineer");
  EXPECT_EQ(extra["teamtailor_candidate_id"], "1001");
  EXPECT_EQ(body["event_callbacks"], json::parse(R"([{"event":"result","url":"https://cb/x"},
                            {"event":"similarity","url":"https://cb/x"}])"));
}

TEST(CodilityInviteAnswer, BecomesASentUpdateWithTheSession) {
  OrderRequest o = parse_order_request(request().dump());
  json answer = {{"candidates",
                  json::array({{{"id", "pr_1"},
                                {"test_link", "https://app.codility.com/test/CS1-QX/"},
                                {"session_url", "https://codility.com/api/sessions/CS1-QX/"}}})}};
  json u = invite_update(o, answer);
  EXPECT_EQ(u["status"], "sent");
  EXPECT_EQ(u["order_id"], "pr_1");
  EXPECT_EQ(u["vendor_order_id"], "CS1-QX");
  EXPECT_EQ(u["candidate_url"], "https://app.codility.com/test/CS1-QX/");
  EXPECT_EQ(u["vendor_state"], (json{{"session_id", "CS1-QX"}}));
  EXPECT_EQ(status_of([&] { invite_update(o, json::object()); }), TTB_STATUS_VENDOR_UNAVAILABLE);
  answer["candidates"][0].erase("session_url");
  EXPECT_EQ(status_of([&] { invite_update(o, answer); }), TTB_STATUS_VENDOR_UNAVAILABLE);
}

TEST(CodilityOrderContext, ReadsTheSessionFromStateOrVendorOrderId) {
  OrderRef r = parse_order_context(
      R"({"order_id":"pr_1","vendor_order_id":"X","vendor_state":{"session_id":"CS1-QX"}})");
  EXPECT_EQ(r.order_id, "pr_1");
  EXPECT_EQ(r.session_id, "CS1-QX");
  r = parse_order_context(R"({"order_id":"pr_1","vendor_order_id":"CS2"})");
  EXPECT_EQ(r.session_id, "CS2");
  EXPECT_EQ(status_of([] { parse_order_context(R"({"order_id":"pr_1"})"); }), TTB_STATUS_INVALID);
  EXPECT_EQ(status_of([] { parse_order_context("[]"); }), TTB_STATUS_INVALID);
}

TEST(CodilityTests, DropsArchivedTestsAndNeedsResults) {
  json tests = json::array();
  append_invitable_tests(json::parse(R"({"results":[{"id":1,"name":"Java","is_archived":false},
                                 {"id":2,"name":"Old","is_archived":true},
                                 {"id":3},{"name":"no id"}]})"),
                         tests);
  ASSERT_EQ(tests.size(), 2u);
  EXPECT_EQ(tests[0], (json{{"id", "1"},
                            {"name", "Java"},
                            {"kind", "assessment"},
                            {"description", ""},
                            {"duration_minutes", nullptr}}));
  EXPECT_EQ(tests[1]["name"], "Codility test 3");
  EXPECT_EQ(status_of([&] { append_invitable_tests(json::object(), tests); }),
            TTB_STATUS_VENDOR_UNAVAILABLE);
}

TEST(CodilityTests, ATestWhoseIdTheHostWouldRefuseIsSkipped) {
  json tests = json::array();
  append_invitable_tests(
      json{{"results", json::array({json{{"id", "T\n1"}}, json{{"id", std::string(201, '7')}},
                                    json{{"id", 8}}})}},
      tests);
  ASSERT_EQ(tests.size(), 1u);
  EXPECT_EQ(tests[0]["id"], "8");
}

TEST(CodilitySessionLookup, FindsOnlyTheOrdersSession) {
  json page = {{"results", json::array({session()})}};
  page["results"][0]["candidate"] = "pr_other";
  EXPECT_FALSE(find_order_session(page, "pr_1"));
  page["results"].push_back(session());
  auto found = find_order_session(page, "pr_1");
  ASSERT_TRUE(found);
  EXPECT_EQ(session_id_of(*found), "CS1-QX");
  EXPECT_TRUE(session_belongs_to(json{{"candidate", {{"id", "pr_1"}}}}, "pr_1"));
  EXPECT_FALSE(session_belongs_to(session(), ""));
  EXPECT_EQ(status_of([] { find_order_session(json::object(), "pr_1"); }),
            TTB_STATUS_VENDOR_UNAVAILABLE);
}

TEST(CodilitySession, NotStartedIsSentAndClosedUnstartedIsExpired) {
  json u = map_session(session(), kRef);
  EXPECT_EQ(u["status"], "sent");
  EXPECT_EQ(u["candidate_url"], "https://app.codility.com/test/CS1-QX/");
  EXPECT_TRUE(u["score"].is_null());
  json s = session();
  s["close_date"] = "2025-03-08T10:00:00Z";
  u = map_session(s, kRef);
  EXPECT_EQ(u["status"], "failed");
  EXPECT_EQ(u["failure_reason"], "expired");
}

TEST(CodilitySession, StartedOrClosedWithoutEvaluationIsPending) {
  json s = session();
  s["start_date"] = "2025-03-01T10:00:00Z";
  EXPECT_EQ(map_session(s, kRef)["status"], "pending");
  s["close_date"] = "2025-03-01T11:00:00Z";
  s["evaluation"] = json::object();  // empty until scoring finishes
  json u = map_session(s, kRef);
  EXPECT_EQ(u["status"], "pending");
  EXPECT_NE(u["summary"].get<std::string>().find("scoring"), std::string::npos);
}

TEST(CodilitySession, EvaluatedIsCompletedWithScoreReportPdfAndTasks) {
  json u = map_session(evaluated(), kRef);
  EXPECT_EQ(u["status"], "completed");
  EXPECT_EQ(u["score"], 85);
  EXPECT_EQ(u["summary"], "Test completed with 85% (170/200 points).");
  EXPECT_EQ(u["report_url"], "https://app.codility.com/report/CS1-QX/");
  EXPECT_EQ(u["attachments"], json::parse(R"j([{"url":"https://app.codility.com/report/CS1-QX.pdf",
                                                 "description":"Codility report (PDF)"}])j"));
  EXPECT_EQ(u["details"]["tasks"],
            (json{{"BinaryGap (cpp)", "100% (100/100)"}, {"Brackets (py)", "70% (70/100)"}}));
  EXPECT_EQ(u["details"]["started_at"], "2025-03-01T10:00:00Z");
  EXPECT_EQ(u["details"]["finished_at"], "2025-03-01T11:00:00Z");
  EXPECT_EQ(u["vendor_order_id"], "CS1-QX");
  EXPECT_EQ(u["order_id"], "pr_1");
}

TEST(CodilitySession, ScoreRoundsAndAZeroMaximumScoresZero) {
  json s = evaluated();
  s["evaluation"] = {{"result", 2}, {"max_result", 3}};
  EXPECT_EQ(map_session(s, kRef)["score"], 67);
  s["evaluation"] = {{"result", 0}, {"max_result", 0}};
  EXPECT_EQ(map_session(s, kRef)["score"], 0);
  s["evaluation"] = {{"result", 500}, {"max_result", 100}};
  EXPECT_EQ(map_session(s, kRef)["score"], 100);
}

TEST(CodilitySession, SimilarityFlagGoesIntoSummaryAndDetails) {
  json s = evaluated();
  s["similarity"] = "suspicious";
  json u = map_session(s, kRef);
  EXPECT_NE(u["summary"].get<std::string>().find("flagged as possible plagiarism"),
            std::string::npos);
  EXPECT_EQ(u["details"]["similarity"], "suspicious");
  s["similarity"] = true;
  EXPECT_EQ(map_session(s, kRef)["details"]["similarity"], "flagged");
  s["similarity"] = {{"status", "not_similar"}};
  u = map_session(s, kRef);
  EXPECT_EQ(u["details"]["similarity"], "not_similar");
  EXPECT_NE(u["summary"].get<std::string>().find("Similarity check: not_similar."),
            std::string::npos);
}

TEST(CodilitySession, GoneIsFailedCancelled) {
  json u = gone_update(kRef);
  EXPECT_EQ(u["status"], "failed");
  EXPECT_EQ(u["failure_reason"], "cancelled");
  EXPECT_EQ(status_of([] { map_session(json::array(), kRef); }), TTB_STATUS_VENDOR_UNAVAILABLE);
}

TEST(CodilityCallbackBody, NamesTheSessionInAnyOfItsShapes) {
  EXPECT_EQ(callback_session_id(json{{"event", "result"}, {"session", session()}}), "CS1-QX");
  EXPECT_EQ(callback_session_id(json{{"session", {{"url", "https://c/api/sessions/CS9/"}}}}),
            "CS9");
  EXPECT_EQ(callback_session_id(json{{"session", "https://c/api/sessions/CS8/"}}), "CS8");
  EXPECT_EQ(callback_session_id(json{{"session", "CS7"}}), "CS7");
  EXPECT_EQ(callback_session_id(json{{"id", "CS6"}}), "CS6");
  EXPECT_EQ(callback_session_id(json{{"session", 5.5}}), "");
  EXPECT_EQ(callback_session_id(json{{"session", "https://host-only"}}), "");
  EXPECT_EQ(callback_session_id(json::array()), "");
}

TEST(CodilityCallbackEventId, ChangesWithNewsOnly) {
  json done = map_session(evaluated(), kRef);
  EXPECT_EQ(callback_event_id(done), callback_event_id(map_session(evaluated(), kRef)));
  json s = evaluated();
  s["similarity"] = "suspicious";
  EXPECT_NE(callback_event_id(done), callback_event_id(map_session(s, kRef)));
  EXPECT_NE(callback_event_id(done), callback_event_id(map_session(session(), kRef)));
}

}  // namespace
}  // namespace ttb::codility
