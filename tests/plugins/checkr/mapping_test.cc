// mapping: the host's order payloads read and Checkr's request bodies built from them, and the
// Checkr → ttbridge mapping (docs/protocols/checkr.md, "Status mapping") on payloads shaped like
// Checkr's documented ones.
#include <gtest/gtest.h>

#include "mapping.h"
#include "ttbridge/plugin.hpp"

namespace {

using namespace ttb::checkr;
using nlohmann::json;

json invitation(const std::string& status) {
  return json::parse(
      R"({"id":"inv_7a1","object":"invitation","uri":"/v1/invitations/inv_7a1","status":")" +
      status +
      R"(","invitation_url":"https://apply.checkr.com/invite/acme/ab12cd34","package":"basic_criminal",
    "candidate_id":"cand_55","report_id":null,"created_at":"2025-03-01T10:00:00Z","expires_at":"2025-03-08T10:00:00Z",
    "completed_at":null,"deleted_at":null,"tags":["job-4411"]})");
}

json report(const std::string& status, const std::string& result = "",
            const std::string& assessment = "") {
  json r = json::parse(
      R"({"id":"rpt_9","object":"report","uri":"/v1/reports/rpt_9","package":"basic_criminal",
    "candidate_id":"cand_55","adjudication":null,"includes_canceled":false,"created_at":"2025-03-02T10:00:00Z",
    "completed_at":null,"turnaround_time":null,"ssn_trace_id":"ssn_1","county_criminal_search_ids":["cty_1","cty_2"],
    "document_ids":["doc_1"],"some_future_field":{"nested":[1,2,3]},
    "candidate":{"id":"cand_55","object":"candidate","custom_id":"pr-1","email":"ada@example.com"},
    "ssn_trace":{"id":"ssn_1","object":"ssn_trace","status":"complete","result":"clear","assessment":null},
    "county_criminal_searches":[
      {"id":"cty_1","object":"county_criminal_search","status":"complete","result":"consider","county":"Alameda","state":"CA"},
      {"id":"cty_2","object":"county_criminal_search","status":"canceled","result":null,"county":"Kings","state":"NY",
       "cancellation_reason":"court_closed","cancellation_reason_description":"The court is closed"}],
    "documents":[{"id":"doc_1","object":"document","type":"pdf_report","filename":"report.pdf",
      "content_type":"application/pdf","filesize":1024,"download_uri":"https://checkr.example/doc_1.pdf?sig=x"},
      {"id":"doc_2","object":"document","type":"consent","download_uri":"https://checkr.example/doc_2.pdf"}]})");
  r["status"] = status;
  r["result"] = result.empty() ? json(nullptr) : json(result);
  r["assessment"] = assessment.empty() ? json(nullptr) : json(assessment);
  return r;
}

TEST(CheckrPackages, EveryPackageBecomesABackgroundCheckNamedBySlug) {
  json page =
      json::parse(R"({"object":"list","count":2,"next_href":null,"previous_href":null,"data":[
    {"id":"pk_01","object":"package","name":"Basic Criminal","slug":"basic_criminal","price":2900,
     "screenings":[{"type":"ssn_trace","subtype":null},{"type":"county_criminal_search","subtype":"7years"}]},
    {"id":"pk_02","object":"package","name":"Old","slug":"old","deleted_at":"2025-01-01T00:00:00Z","screenings":[]},
    {"id":"pk_03","object":"package","name":"No slug"}]})");
  json tests = tests_from_packages(page);
  ASSERT_EQ(tests.size(), 1u);
  EXPECT_EQ(tests[0]["id"], "basic_criminal");
  EXPECT_EQ(tests[0]["name"], "Basic Criminal");
  EXPECT_EQ(tests[0]["kind"], "background_check");
  EXPECT_EQ(tests[0]["description"], "ssn trace, county criminal search (7years)");
  EXPECT_TRUE(tests[0]["duration_minutes"].is_null());
  EXPECT_FALSE(has_next_page(page));
  EXPECT_TRUE(has_next_page(json{{"next_href", "/v1/packages?page=2"}}));
  EXPECT_TRUE(tests_from_packages(json::array()).empty());
}

// A slug the host would refuse (tenants::parse_tests refuses the whole list for one) costs only
// its own package; the fuzzer found a slug with a control character.
TEST(CheckrPackages, APackageWhoseSlugTheHostWouldRefuseIsSkipped) {
  json page = {{"data", json::array({json{{"slug", "fine"}, {"name", "Fine"}},
                                     json{{"slug",
                                           "a\x01"
                                           "b"}},
                                     json{{"slug", std::string(201, 's')}},
                                     json{{"slug", std::string(200, 's')}}})}};
  json tests = tests_from_packages(page);
  ASSERT_EQ(tests.size(), 2u);
  EXPECT_EQ(tests[0]["id"], "fine");
  EXPECT_EQ(tests[1]["id"], std::string(200, 's'));
}

TEST(CheckrMapping, PendingInvitationIsSentWithTheInvitationUrl) {
  json u = order_update(invitation("pending"), nullptr, {});
  EXPECT_EQ(u["status"], "sent");
  EXPECT_EQ(u["vendor_order_id"], "inv_7a1");
  EXPECT_EQ(u["candidate_url"], "https://apply.checkr.com/invite/acme/ab12cd34");
  EXPECT_EQ(u["vendor_state"]["candidate_id"], "cand_55");
  EXPECT_TRUE(u["score"].is_null());
  EXPECT_EQ(u["report_url"], "");
  EXPECT_FALSE(u.contains("failure_reason"));
}

TEST(CheckrMapping, CompletedInvitationWithoutReportIsPending) {
  EXPECT_EQ(order_update(invitation("completed"), nullptr, {})["status"], "pending");
}

TEST(CheckrMapping, ExpiredInvitationFailsAsExpired) {
  json u = order_update(invitation("expired"), nullptr, {});
  EXPECT_EQ(u["status"], "failed");
  EXPECT_EQ(u["failure_reason"], "expired");
}

TEST(CheckrMapping, DeletedInvitationFailsAsCancelled) {
  json inv = invitation("pending");
  inv["deleted_at"] = "2025-03-02T00:00:00Z";
  EXPECT_EQ(order_update(inv, nullptr, {})["failure_reason"], "cancelled");
  EXPECT_EQ(order_update(invitation("deleted"), nullptr, {})["status"], "failed");
}

TEST(CheckrMapping, ReportInProgressStatesArePending) {
  for (const char* s : {"pending", "suspended", "paused", "dispute", "some_new_state"}) {
    json inv = invitation("completed");
    EXPECT_EQ(order_update(inv, report(s), {})["status"], "pending") << s;
  }
}

TEST(CheckrMapping, ADisputeOfACompletedReportStaysCompletedAndSaysDispute) {
  json r = report("dispute", "consider");
  r["completed_at"] = "2025-03-03T10:00:00Z";
  r["adjudication"] = "engaged";
  json u = order_update(invitation("completed"), r, {});
  EXPECT_EQ(u["status"], "completed");  // the final result is amended, never reopened
  EXPECT_EQ(u["summary"],
            "dispute / consider / assessment=null / adjudication=engaged; 1 canceled screening");
  EXPECT_EQ(u["grade"], "might_be_fit");
  EXPECT_EQ(u["attachments"].size(), 1u);
}

TEST(CheckrMapping, CompleteReportIsCompletedWithSummaryDetailsAndPdf) {
  json u = order_update(invitation("completed"), report("complete", "consider", "review"), {});
  EXPECT_EQ(u["status"], "completed");
  EXPECT_EQ(u["order_id"], "pr-1");  // the candidate's custom_id
  EXPECT_EQ(u["vendor_order_id"], "inv_7a1");
  EXPECT_EQ(u["summary"],
            "complete / consider / assessment=review / adjudication=null; 1 canceled screening");
  EXPECT_EQ(u["details"], json::parse(R"j({"ssn_trace":"complete/clear",
    "county_criminal_search (Alameda, CA)":"complete/consider",
    "county_criminal_search (Kings, NY)":"canceled/null (court_closed)"})j"));
  ASSERT_EQ(u["attachments"].size(), 1u);  // the consent form is not the report
  EXPECT_EQ(u["attachments"][0]["url"], "https://checkr.example/doc_1.pdf?sig=x");
  EXPECT_EQ(u["vendor_state"], json::parse(R"({"candidate_id":"cand_55","report_id":"rpt_9"})"));
  EXPECT_TRUE(u["score"].is_null());  // no numeric score unless the config asks for one
}

TEST(CheckrMapping, DetailsStayWithinTwoLevels) {
  json details = order_update(nullptr, report("complete", "clear"), {})["details"];
  for (const auto& [k, v] : details.items()) EXPECT_TRUE(v.is_string()) << k;
}

TEST(CheckrMapping, CanceledReportFailsAsCancelled) {
  json u = order_update(invitation("completed"), report("canceled"), {});
  EXPECT_EQ(u["status"], "failed");
  EXPECT_EQ(u["failure_reason"], "cancelled");
  EXPECT_TRUE(u["score"].is_null());
}

TEST(CheckrMapping, ReportWithoutInvitationNamesTheOrderByCustomId) {
  json u = order_update(nullptr, report("complete", "clear"), {});
  EXPECT_EQ(u["order_id"], "pr-1");
  EXPECT_FALSE(u.contains("vendor_order_id"));
  EXPECT_FALSE(u.contains("candidate_url"));
}

TEST(CheckrMapping, BinaryScoreWhenConfigured) {
  MappingOptions binary{ScoreMode::binary, ""};
  EXPECT_EQ(order_update(nullptr, report("complete", "clear"), binary)["score"], 100);
  EXPECT_EQ(order_update(nullptr, report("complete", "consider"), binary)["score"], 0);
  EXPECT_TRUE(order_update(nullptr, report("pending", "consider"), binary)["score"]
                  .is_null());  // not final yet
}

TEST(CheckrMapping, AssessmentScoreWhenConfigured) {
  MappingOptions assess{ScoreMode::assessment, ""};
  EXPECT_EQ(order_update(nullptr, report("complete", "clear", "eligible"), assess)["score"], 100);
  EXPECT_EQ(order_update(nullptr, report("complete", "consider", "review"), assess)["score"], 50);
  EXPECT_EQ(order_update(nullptr, report("complete", "consider", "escalated"), assess)["score"], 0);
  EXPECT_TRUE(order_update(nullptr, report("complete", "clear"), assess)["score"]
                  .is_null());  // assessment not in yet
}

TEST(CheckrMapping, ACompleteReportGetsAGradeFromItsResultOrAssessment) {
  auto grade = [](const json& r) {
    json u = order_update(nullptr, r, {});
    return u.contains("grade") ? u["grade"] : json();
  };
  EXPECT_EQ(grade(report("complete", "clear")), "top_fit");
  EXPECT_EQ(grade(report("complete", "consider")), "might_be_fit") << "consider asks for review";
  EXPECT_EQ(grade(report("complete", "consider", "eligible")), "top_fit");
  EXPECT_EQ(grade(report("complete", "consider", "review")), "might_be_fit");
  EXPECT_EQ(grade(report("complete", "consider", "escalated")), "might_not_be_fit");
  EXPECT_TRUE(grade(report("pending", "consider")).is_null()) << "no verdict before complete";
  EXPECT_TRUE(grade(report("complete")).is_null());
}

TEST(CheckrMapping, ReportUrlFromTheConfiguredTemplate) {
  MappingOptions o{ScoreMode::none, "https://dashboard.checkr.com/reports/{report_id}?tab=summary"};
  EXPECT_EQ(order_update(nullptr, report("complete", "clear"), o)["report_url"],
            "https://dashboard.checkr.com/reports/rpt_9?tab=summary");
}

TEST(CheckrMapping, SummaryMentionsCanceledScreeningsFromTheFlagAlone) {
  json r = json{
      {"id", "rpt_1"}, {"status", "complete"}, {"result", "clear"}, {"includes_canceled", true}};
  EXPECT_EQ(report_summary(r),
            "complete / clear / assessment=null / adjudication=null; includes canceled screenings");
}

TEST(CheckrMapping, ToleratesJunkWhereObjectsWereExpected) {
  json u = order_update(json("junk"), json::array(), {});
  EXPECT_EQ(u["status"], "sent");
  EXPECT_TRUE(screening_details(json(42)).empty());
  EXPECT_TRUE(report_attachments(json{{"documents", "x"}}).empty());
  EXPECT_EQ(order_id_of_report(json{{"candidate", 3}}), "");
}

// ---- ttbridge → Checkr

Config config_with(const std::string& extra = "") {
  return parse_config(R"({"api_key":"sk_test_abc","base_url":"http://127.0.0.1:9/v1")" + extra +
                      "}");
}

// The sdk::Error `fn` throws. Fails the test when it throws none.
template <class Fn>
ttb::sdk::Error refusal(Fn fn) {
  try {
    fn();
  } catch (const ttb::sdk::Error& e) {
    return e;
  }
  ADD_FAILURE() << "accepted";
  return ttb::sdk::Error(TTB_STATUS_OK, "");
}

TEST(CheckrOrderRequest, ReadsTheHostsCreateOrderPayload) {
  OrderRequest o = parse_order_request(
      R"({"order_id":"pr-1","test_id":"basic_criminal","candidate":{"id":77,"first_name":"Ada",
    "last_name":"Lee","email":"ada@example.com","phone":"+15550100"},"job":{"id":"j9","title":"Driver"},
    "options":{},"callback_url":"https://e/callbacks/acme/checkr/orders/pr-1","locale":"en","future":true})");
  EXPECT_EQ(o.order_id, "pr-1");
  EXPECT_EQ(o.package, "basic_criminal");
  EXPECT_EQ(o.teamtailor_candidate_id, "77");
  json cand = candidate_body(o);
  EXPECT_EQ(cand["custom_id"], "pr-1");
  EXPECT_EQ(cand["email"], "ada@example.com");
  EXPECT_EQ(cand["phone"], "+15550100");
  EXPECT_EQ(cand["metadata"]["teamtailor_job_title"], "Driver");
}

TEST(CheckrOrderRequest, InvitationCarriesWorkLocationNodeAndTags) {
  OrderRequest o =
      parse_order_request(R"({"order_id":"pr-1","test_id":"basic","candidate":{"email":"a@b.c"}})");
  json inv = invitation_body(
      o, "cand_1",
      config_with(R"(,"work_location":{"state":"CA","city":"Oakland"},"node":"hq","tags":["tt"])"));
  EXPECT_EQ(inv["package"], "basic");
  EXPECT_EQ(inv["candidate_id"], "cand_1");
  EXPECT_EQ(inv["work_locations"],
            json::parse(R"([{"country":"US","state":"CA","city":"Oakland"}])"));
  EXPECT_EQ(inv["node"], "hq");
  EXPECT_EQ(inv["tags"], json::parse(R"(["tt"])"));
  EXPECT_FALSE(invitation_body(o, "cand_1", config_with()).contains("work_locations"));
}

TEST(CheckrOrderRequest, RefusesRequestsItCannotOrder) {
  EXPECT_EQ(refusal([] { parse_order_request("not json"); }).status(), TTB_STATUS_INVALID);
  auto e = refusal([] { parse_order_request(R"({"test_id":"b","candidate":{"email":"a@b.c"}})"); });
  EXPECT_EQ(e.status(), TTB_STATUS_INVALID);
  EXPECT_NE(std::string(e.what()).find("order_id"), std::string::npos);
  e = refusal([] { parse_order_request(R"({"order_id":"1","test_id":"b","candidate":{}})"); });
  EXPECT_EQ(e.status(), TTB_STATUS_INVALID);
  EXPECT_NE(std::string(e.what()).find("email"), std::string::npos);
  e = refusal([] { parse_order_context(R"({"order_id":"1"})"); });
  EXPECT_EQ(e.status(), TTB_STATUS_INVALID);
  EXPECT_NE(std::string(e.what()).find("vendor_order_id"), std::string::npos);
}

}  // namespace
