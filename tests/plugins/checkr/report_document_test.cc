// report_document: which fresh PDF link answers the host's fetch_document, and what a malformed
// document request is. The whole path (checkr.so, the fake's expiring links, the daemon's
// /reports route) is in tests/integration/report_links_test.cc.
#include "report_document.h"

#include <gtest/gtest.h>

#include "ttbridge/plugin.hpp"

namespace ttb::checkr {
namespace {

using nlohmann::json;

json report_with(const std::vector<std::string>& pdf_urls) {
  json docs = json::array();
  int n = 0;
  for (const auto& url : pdf_urls) {
    // Appended, not `"lit" + std::to_string(n)`: GCC 12 at -O3 warns falsely (-Wrestrict).
    const std::string number = std::to_string(++n);
    std::string id = "doc_";
    id += number;
    std::string filename = "r";
    filename += number;
    filename += ".pdf";
    docs.push_back(
        {{"id", id}, {"type", "pdf_report"}, {"download_uri", url}, {"filename", filename}});
  }
  docs.push_back({{"id", "consent"}, {"type", "consent"}, {"download_uri", "https://c/consent"}});
  return json{{"id", "rpt_1"}, {"documents", docs}};
}

TEST(CheckrReportDocument, PicksThePdfWhosePathTheStoredLinkHad) {
  const json report = report_with({"https://c/documents/doc_1/download?token=new1",
                                   "https://c/documents/doc_2/download?token=new2"});
  EXPECT_EQ(fresh_document_url(report, "https://c/documents/doc_2/download?token=old"),
            "https://c/documents/doc_2/download?token=new2");
  EXPECT_EQ(fresh_document_url(report, "https://c/documents/doc_1/download?token=new1"),
            "https://c/documents/doc_1/download?token=new1");
  // Two PDFs and a link that matches neither: no guess.
  EXPECT_FALSE(fresh_document_url(report, "https://c/documents/doc_9/download?token=x"));
}

TEST(CheckrReportDocument, TheOnlyPdfAnswersAnyStoredLink) {
  const json report = report_with({"https://s3.example/abc?X-Amz-Signature=new"});
  EXPECT_EQ(fresh_document_url(report, "https://s3.example/other?sig=old"),
            "https://s3.example/abc?X-Amz-Signature=new");
  EXPECT_EQ(fresh_document_url(report, ""), "https://s3.example/abc?X-Amz-Signature=new");
  EXPECT_FALSE(fresh_document_url(report_with({}), "https://s3.example/abc"));  // consent only
}

TEST(CheckrReportDocument, AnswerCarriesTheLinkAndItsFifteenMinutes) {
  const json answer = json::parse(document_link_answer("https://c/x", 1000));
  EXPECT_EQ(answer["url"], "https://c/x");
  EXPECT_EQ(answer["expires_at_ms"], 1000 + 15 * 60 * 1000);
}

TEST(CheckrReportDocument, ReadsTheHostsRequestAndRefusesOtherShapes) {
  const DocumentRequest request = parse_document_request(
      R"({"document":"attachment","url":"https://c/1","order":{"order_id":"pr_1"}})");
  EXPECT_EQ(request.document, "attachment");
  EXPECT_EQ(request.url, "https://c/1");
  EXPECT_EQ(json::parse(request.order_json)["order_id"], "pr_1");
  for (const char* bad : {"[]", "not json", R"({"document":"invoice","order":{}})",
                          R"({"document":"report"})", R"({"document":"report","order":"x"})"}) {
    try {
      parse_document_request(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const sdk::Error& e) {
      EXPECT_EQ(e.status(), TTB_STATUS_INVALID) << bad;
    }
  }
}

}  // namespace
}  // namespace ttb::checkr
