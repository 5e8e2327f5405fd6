// Two Teamtailor connections in one ttbridged (docs/configuration.md, "Several Teamtailor
// connections"): each tenant's webhooks are verified with its own connection's webhook secret and
// API key, and its results are written to its own connection's api_url with that key, never to
// the other's.

#include <gtest/gtest.h>

#include "engine_fixture.h"
#include "fakes/testvendor/fake_testvendor.h"

namespace ttb {
namespace {

using fakes::FakeTeamtailor;
using fakes::FakeTeamtailorOptions;
using fakes::WebhookSender;
using fakes::testvendor::FakeTestVendor;
using testing::Engine;
using testing::EngineOptions;
using testing::tenant_yaml;

constexpr const char* kAcmeToken = "acme-connection-token-0123456789";    // default connection
constexpr const char* kNorthToken = "north-connection-token-0123456789";  // connection na
constexpr const char* kNaApiKey = "na-partner-api-key-7";
constexpr const char* kNaWebhookSecret = "na-webhook-secret-8";

class TeamtailorConnections : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    vendor_ = new FakeTestVendor();
    FakeTeamtailorOptions na;
    na.api_key = kNaApiKey;
    na_teamtailor_ = new FakeTeamtailor(na);
    const std::string provider = "  - name: testvendor\n    plugin: testvendor\n    config: " +
                                 vendor_->plugin_config().dump() + "\n";
    EngineOptions options;
    options.teamtailor_extra = "  connections:\n    na:\n      api_url: \"" +
                               na_teamtailor_->api_url() +
                               "\"\n      api_key: \"${env:NA_KEY}\"\n"
                               "      webhook_secret: \"${env:NA_SECRET}\"\n";
    options.env = {{"NA_KEY", kNaApiKey}, {"NA_SECRET", kNaWebhookSecret}};
    options.tenants = {{"acme.yaml", tenant_yaml("acme", kAcmeToken, provider)},
                       {"north.yaml", tenant_yaml("north", kNorthToken, provider) +
                                          "teamtailor_connection: na\n"}};
    engine_ = new Engine(options);
    ASSERT_TRUE(engine_->start()) << engine_->log();
    na_sender_ = new WebhookSender(net::make_http_client(), engine_->base_url(), kNaWebhookSecret,
                                   kNaApiKey);
  }
  static void TearDownTestSuite() {
    delete na_sender_;
    delete engine_;
    delete na_teamtailor_;
    delete vendor_;
    na_sender_ = nullptr;
    engine_ = nullptr;
    na_teamtailor_ = nullptr;
    vendor_ = nullptr;
  }

  static bool written_to(const FakeTeamtailor& teamtailor, const std::string& id) {
    return teamtailor.wait_for(
        [&](const std::vector<fakes::PartnerResultWrite>& writes) {
          for (const auto& w : writes) {
            if (w.id == id && w.attributes.value("status", "") == "sent") return true;
          }
          return false;
        },
        std::chrono::steady_clock::now() + std::chrono::seconds(10));
  }

  static Engine* engine_;
  static FakeTestVendor* vendor_;
  static FakeTeamtailor* na_teamtailor_;
  static WebhookSender* na_sender_;
};
Engine* TeamtailorConnections::engine_ = nullptr;
FakeTestVendor* TeamtailorConnections::vendor_ = nullptr;
FakeTeamtailor* TeamtailorConnections::na_teamtailor_ = nullptr;
WebhookSender* TeamtailorConnections::na_sender_ = nullptr;

TEST_F(TeamtailorConnections, EachTenantIsVerifiedAndAnsweredOnItsOwnConnection) {
  auto acme = engine_->sender().send(kAcmeToken);
  ASSERT_EQ(acme.response.status, 202) << acme.response.body << engine_->log();
  auto north = na_sender_->send(kNorthToken);
  ASSERT_EQ(north.response.status, 202) << north.response.body << engine_->log();

  const std::string acme_id = acme.params.partner_result_id;
  const std::string north_id = north.params.partner_result_id;
  EXPECT_TRUE(written_to(engine_->teamtailor(), acme_id)) << engine_->log();
  EXPECT_TRUE(written_to(*na_teamtailor_, north_id)) << engine_->log();
  EXPECT_TRUE(na_teamtailor_->writes_for(acme_id).empty());
  EXPECT_TRUE(engine_->teamtailor().writes_for(north_id).empty());
  // Each fake checks its own key: a write with the other connection's key would have been 401.
  for (const auto& request : na_teamtailor_->requests()) EXPECT_EQ(request.status, 200);
  for (const auto& request : engine_->teamtailor().requests()) EXPECT_EQ(request.status, 200);
}

TEST_F(TeamtailorConnections, RefusesAWebhookSignedWithTheOtherConnectionsSecret) {
  // North's company key (JWT with the na API key), but the default connection's signature.
  WebhookSender crossed(net::make_http_client(), engine_->base_url(), "tt-fake-webhook-secret",
                        kNaApiKey);
  auto sent = crossed.send(kNorthToken);
  EXPECT_EQ(sent.response.status, 401) << sent.response.body;
  EXPECT_NE(sent.response.body.find("Teamtailor-Signature"), std::string::npos)
      << sent.response.body;
  EXPECT_FALSE(engine_->order(sent.params.partner_result_id).has_value());
}

TEST_F(TeamtailorConnections, RefusesACompanyKeySignedWithTheOtherConnectionsApiKey) {
  // Acme's token in a JWT signed with the na API key; the signature is acme's connection's.
  WebhookSender crossed(net::make_http_client(), engine_->base_url(), "tt-fake-webhook-secret",
                        kNaApiKey);
  auto sent = crossed.send(kAcmeToken);
  EXPECT_EQ(sent.response.status, 401) << sent.response.body;
  EXPECT_NE(sent.response.body.find("JWT"), std::string::npos) << sent.response.body;
  EXPECT_FALSE(engine_->order(sent.params.partner_result_id).has_value());
}

TEST_F(TeamtailorConnections, TheWebhooksUpdateUrlNeverChoosesTheHost) {
  fakes::WebhookParams params;
  params.update_url_base = engine_->teamtailor().api_url();  // the default stack's host
  auto north = na_sender_->send(kNorthToken, params);
  ASSERT_EQ(north.response.status, 202) << north.response.body;
  EXPECT_TRUE(written_to(*na_teamtailor_, north.params.partner_result_id)) << engine_->log();
  EXPECT_TRUE(engine_->teamtailor().writes_for(north.params.partner_result_id).empty());
}

}  // namespace
}  // namespace ttb
