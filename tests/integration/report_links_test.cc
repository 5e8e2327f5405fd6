// The card's stable report links through the real ttbridged (docs/security.md, "Report links"):
// with server.report_link_key set, the card's report and PDF links point at GET /reports/{token}.
// Checkr's PDF link dies (the fake expires it like Checkr's 15-minute download_uri) while the
// card's link still answers with a fresh one; a plugin without fetch_document gets its stored
// link served; bad tokens, unknown orders and a failing vendor get the documented answers.

#include <atomic>

#include <gtest/gtest.h>

#include "engine_fixture.h"
#include "fakes/checkr/fake_checkr.h"
#include "fakes/checkr/webhook_sender.h"
#include "fakes/testvendor/fake_testvendor.h"
#include "http/report_token.h"

namespace ttb {
namespace {

using nlohmann::json;
using testing::Engine;
using testing::EngineOptions;
using testing::eventually;

constexpr const char* kToken = "acme-report-links-token-0123456789";
constexpr const char* kLinkKey = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
constexpr std::int64_t kStartMs = 1740823200000;  // 2025-03-01T10:00:00Z

std::string providers_yaml(const fakes::checkr::FakeCheckr& checkr,
                           const fakes::testvendor::FakeTestVendor& vendor) {
  return "  - name: checkr\n"
         "    plugin: checkr\n"
         "    config:\n"
         "      api_key: \"" +
         checkr.api_key() + "\"\n      base_url: \"" + checkr.base_url() +
         "\"\n"
         "      work_location: { country: US, state: CA }\n"
         "      report_url_template: \"https://dashboard.checkr.com/reports/{report_id}\"\n"
         "  - name: testvendor\n"
         "    plugin: testvendor\n"
         "    config: " +
         vendor.plugin_config().dump() + "\n";
}

class ReportLinks : public ::testing::Test {
 protected:
  static fakes::checkr::FakeCheckrOptions checkr_options() {
    fakes::checkr::FakeCheckrOptions options;
    options.now_ms = [] { return now_ms_.load(); };
    options.download_link_ttl = std::chrono::minutes(1);
    return options;
  }

  static void start_engine(const std::string& server_extra) {
    now_ms_ = kStartMs;
    checkr_ = new fakes::checkr::FakeCheckr(checkr_options());
    vendor_ = new fakes::testvendor::FakeTestVendor();
    EngineOptions options;
    options.tenants = {
        {"acme.yaml", testing::tenant_yaml("acme", kToken, providers_yaml(*checkr_, *vendor_))}};
    options.server_extra = server_extra;
    engine_ = new Engine(options);
    ASSERT_TRUE(engine_->start()) << engine_->log();
  }
  static void SetUpTestSuite() {
    start_engine(std::string("  report_link_key: \"") + kLinkKey + "\"\n");
  }
  static void TearDownTestSuite() {
    delete engine_;
    delete vendor_;
    delete checkr_;
    engine_ = nullptr;
    vendor_ = nullptr;
    checkr_ = nullptr;
  }

  std::string send(const std::string& test) {
    fakes::WebhookParams params;
    params.test = test;
    params.update_url_base = engine_->teamtailor().api_url();
    auto sent = engine_->sender().send(kToken, params);
    EXPECT_EQ(sent.response.status, 202) << sent.response.body;
    return sent.params.partner_result_id;
  }

  json card(const std::string& id) {
    json current = engine_->teamtailor().current(id);
    return current.is_object() ? current : json::object();
  }

  // A Checkr order whose report is complete with its PDF, and whose card shows it.
  std::string completed_checkr_order() {
    std::string id = send("checkr:basic_criminal");
    EXPECT_TRUE(engine_->wait_for_status(id, "sent")) << engine_->log();
    auto invitations = checkr_->invitation_ids();
    const std::string report = checkr_->complete_invitation(invitations.back());
    fakes::checkr::ReportChange change;
    change.status = "complete";
    change.result = "clear";
    EXPECT_TRUE(checkr_->update_report(report, change));
    auto delivered = webhooks_.deliver(engine_->base_url() + "/callbacks/acme/checkr",
                                       *checkr_->report_event("report.completed", report));
    EXPECT_EQ(delivered.status, 200) << delivered.body;
    EXPECT_TRUE(eventually([&] { return card(id).value("status", "") == "completed"; }))
        << engine_->log();
    return id;
  }

  // The path of a link on the card, which must be one of ttbridged's report links.
  std::string report_path(const std::string& link) {
    const std::string prefix = engine_->base_url() + "/reports/";
    EXPECT_EQ(link.substr(0, prefix.size()), prefix) << link;
    return link.substr(engine_->base_url().size());
  }

  static net::ClientResponse fetch(const std::string& url) {
    auto http = net::make_http_client();
    return http->send(net::ClientRequest{"GET", url, {}, "", std::chrono::seconds(10)});
  }

  static inline std::atomic<std::int64_t> now_ms_{kStartMs};
  static inline fakes::checkr::FakeCheckr* checkr_ = nullptr;
  static inline fakes::testvendor::FakeTestVendor* vendor_ = nullptr;
  static inline Engine* engine_ = nullptr;
  fakes::checkr::WebhookSender webhooks_{"sk_test_fake_checkr_key"};
};

TEST_F(ReportLinks, CheckrPdfLinkOnTheCardOutlivesTheVendorsExpiringLink) {
  const std::string id = completed_checkr_order();
  const json written = card(id);
  ASSERT_EQ(written["attachments"].size(), 1u) << written.dump();
  const std::string pdf_path = report_path(written["attachments"][0].value("url", ""));

  // The store keeps Checkr's own link; it works now and is dead a minute later.
  auto order = engine_->order(id);
  ASSERT_TRUE(order);
  const std::string vendor_url = json::parse(order->result_json)["attachments"][0].value("url", "");
  ASSERT_NE(vendor_url.find("/documents/"), std::string::npos) << vendor_url;
  EXPECT_EQ(fetch(vendor_url).status, 200);
  now_ms_ += 2LL * 60 * 1000;
  EXPECT_EQ(fetch(vendor_url).status, 403);

  // The card's link asks the plugin for a fresh one and redirects there.
  auto answer = engine_->request("GET", pdf_path);
  ASSERT_EQ(answer.status, 302) << answer.body << engine_->log();
  const std::string fresh = answer.header("Location").value_or("");
  EXPECT_NE(fresh, vendor_url);
  EXPECT_EQ(answer.header("Cache-Control").value_or(""), "no-store");
  auto pdf = fetch(fresh);
  EXPECT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");

  // Much later still: the same card link works again.
  now_ms_ += 24LL * 3600 * 1000;
  answer = engine_->request("GET", pdf_path);
  ASSERT_EQ(answer.status, 302) << answer.body;
  EXPECT_EQ(fetch(answer.header("Location").value_or("")).status, 200);

  // The report link is Checkr's dashboard link, which does not expire: served as it is.
  answer = engine_->request("GET", report_path(written.value("url", "")));
  ASSERT_EQ(answer.status, 302) << answer.body;
  EXPECT_EQ(
      answer.header("Location").value_or("").rfind("https://dashboard.checkr.com/reports/", 0), 0u);
}

TEST_F(ReportLinks, VendorFailureAnswers503AndNeverTheDeadLink) {
  const std::string id = completed_checkr_order();
  const std::string pdf_path = report_path(card(id)["attachments"][0].value("url", ""));
  fakes::checkr::Fault fault;
  fault.method = "GET";
  fault.path_prefix = "/reports/";
  fault.status = 500;
  fault.count = 1;
  checkr_->inject(fault);
  auto answer = engine_->request("GET", pdf_path);
  EXPECT_EQ(answer.status, 503) << answer.body;
  EXPECT_TRUE(answer.header("Retry-After").has_value());
  EXPECT_NE(answer.body.find("cannot be reached"), std::string::npos) << answer.body;
  // The fault is spent: the next open works.
  EXPECT_EQ(engine_->request("GET", pdf_path).status, 302);
}

TEST_F(ReportLinks, PluginWithoutFetchDocumentGetsItsStoredLinkServed) {
  const std::string id = send("testvendor:t1");
  ASSERT_TRUE(engine_->wait_for_status(id, "sent")) << engine_->log();
  auto invitation = vendor_->invitation_for(id);
  ASSERT_TRUE(invitation);
  fakes::testvendor::Outcome outcome;
  outcome.score = 80;
  outcome.report_url = "https://vendor.example/reports/r1";
  outcome.attachments =
      json::array({{{"url", "https://vendor.example/r1.pdf"}, {"description", "PDF"}}});
  auto callback = vendor_->callback(invitation->id, outcome);
  ASSERT_TRUE(callback);
  EXPECT_EQ(vendor_->deliver(*callback).status, 200);
  ASSERT_TRUE(engine_->wait_for_status(id, "completed")) << engine_->log();

  const json written = card(id);
  auto answer = engine_->request("GET", report_path(written.value("url", "")));
  ASSERT_EQ(answer.status, 302) << answer.body;
  EXPECT_EQ(answer.header("Location").value_or(""), "https://vendor.example/reports/r1");
  answer = engine_->request("GET", report_path(written["attachments"][0].value("url", "")));
  ASSERT_EQ(answer.status, 302) << answer.body;
  EXPECT_EQ(answer.header("Location").value_or(""), "https://vendor.example/r1.pdf");
}

TEST_F(ReportLinks, AlteredForeignAndUnknownTokensAllAnswerTheSame404) {
  const std::string id = completed_checkr_order();
  const std::string good = card(id)["attachments"][0].value("url", "");
  const std::string token = good.substr(good.rfind('/') + 1);

  // Another document of the same order, signed with another key: refused.
  const std::string foreign =
      http::sign_report_token("another-key-of-32-characters-0123", {"acme", id, "attachment-0"});
  // A well-signed token for an order that does not exist, and one for another tenant's name.
  const std::string unknown =
      http::sign_report_token(kLinkKey, {"acme", "no-such-order", "report"});
  const std::string other_tenant = http::sign_report_token(kLinkKey, {"beta", id, "attachment-0"});
  std::string altered = token;
  altered[3] = altered[3] == 'A' ? 'B' : 'A';

  std::vector<std::string> bodies;
  for (const std::string& t : {altered, foreign, unknown, other_tenant, std::string("x.y")}) {
    auto answer = engine_->request("GET", "/reports/" + t);
    EXPECT_EQ(answer.status, 404) << t << ": " << answer.body;
    bodies.push_back(answer.body);
  }
  for (const auto& body : bodies) EXPECT_EQ(body, bodies.front());
  // The good token still works.
  EXPECT_EQ(engine_->request("GET", "/reports/" + token).status, 302);
}

class ReportLinksLimited : public ReportLinks {
 protected:
  static void SetUpTestSuite() {
    start_engine(std::string("  report_link_key: \"") + kLinkKey +
                 "\"\n  auth_failure_burst: 3\n  auth_failure_per_minute: 1\n");
  }
};

// A guesser past its budget gets 429; a valid link from the same address (behind a proxy, every
// recruiter's) is still served.
TEST_F(ReportLinksLimited, GuessingTokensIsRateLimitedPerClientAndValidLinksStillServed) {
  const std::string id = completed_checkr_order();
  const std::string good = card(id)["attachments"][0].value("url", "");
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(engine_->request("GET", "/reports/guess" + std::to_string(i)).status, 404);
  }
  auto answer = engine_->request("GET", "/reports/guess3");
  EXPECT_EQ(answer.status, 429) << answer.body;
  EXPECT_TRUE(answer.header("Retry-After").has_value());
  EXPECT_EQ(engine_->request("GET", report_path(good)).status, 302);
  EXPECT_EQ(engine_->request("GET", "/reports/guess4").status, 429);
}

}  // namespace
}  // namespace ttb
