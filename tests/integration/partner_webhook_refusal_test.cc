// Every bad webhook through the real ttbridged gets its clear refusal, and nothing is stored:
// no order, no invitation at the vendor (docs/protocols/teamtailor.md, "Webhook answer";
// docs/architecture.md, "Authentication and limits").

#include <chrono>
#include <cstddef>
#include <utility>

#include <gtest/gtest.h>

#include "engine_fixture.h"
#include "fakes/testvendor/fake_testvendor.h"

namespace ttb {
namespace {

using fakes::BearerMode;
using fakes::SendOptions;
using fakes::SignatureMode;
using fakes::WebhookParams;
using fakes::testvendor::FakeTestVendor;
using testing::Engine;
using testing::EngineOptions;
using testing::tenant_yaml;

constexpr const char* kToken = "acme-refusal-token-0123456789";
constexpr const char* kCompany = "aB3dE5fG7hJ";  // WebhookParams' default company uuid
constexpr const char* kOtherToken =
    "globex-refusal-token-0123456789";  // a second tenant, not pinned

class PartnerWebhookRefusal : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    vendor_ = new FakeTestVendor();
    EngineOptions options;
    options.tenants = {
        {"acme.yaml", tenant_yaml("acme", kToken,
                                  "  - name: testvendor\n    plugin: testvendor\n    config: " +
                                      vendor_->plugin_config().dump() +
                                      "\n  - name: paused\n    plugin: testvendor\n"
                                      "    enabled: false\n",
                                  kCompany) +
                          "legacy_provider_key: true\n"},
        {"globex.yaml", tenant_yaml("globex", kOtherToken,
                                    "  - name: testvendor\n    plugin: testvendor\n    config: " +
                                        vendor_->plugin_config().dump() + "\n")}};
    options.server_extra = "  max_body_bytes: 8192\n";
    engine_ = new Engine(options);
    ASSERT_TRUE(engine_->start()) << engine_->log();
    // The test list is known before any webhook, so an unknown test can be refused.
    ASSERT_TRUE(engine_->config_form(kToken).dump().find("testvendor:t1") != std::string::npos)
        << engine_->log();
  }
  static void TearDownTestSuite() {
    delete engine_;
    delete vendor_;
    engine_ = nullptr;
    vendor_ = nullptr;
  }

  // Sends, expects `status` with a plain-text reason, and that nothing was stored.
  std::string expect_refused(int status, WebhookParams params = {}, const SendOptions& options = {},
                             const std::string& token = kToken) {
    auto sent = engine_->sender().send(token, std::move(params), options);
    EXPECT_EQ(sent.response.status, status) << sent.response.body;
    EXPECT_FALSE(sent.response.body.empty());
    EXPECT_EQ(sent.response.header("Content-Type").value_or("").rfind("text/plain", 0), 0u)
        << sent.response.header("Content-Type").value_or("");
    EXPECT_FALSE(engine_->order(sent.params.partner_result_id).has_value());
    EXPECT_FALSE(vendor_->invitation_for(sent.params.partner_result_id).has_value());
    return sent.response.body;
  }

  static Engine* engine_;
  static FakeTestVendor* vendor_;
};
Engine* PartnerWebhookRefusal::engine_ = nullptr;
FakeTestVendor* PartnerWebhookRefusal::vendor_ = nullptr;

TEST_F(PartnerWebhookRefusal, RefusesBadStaleMissingAndDecoyOnlySignatures) {
  for (auto mode : {SignatureMode::wrong_secret, SignatureMode::stale, SignatureMode::missing,
                    SignatureMode::decoy_only}) {
    SCOPED_TRACE(static_cast<int>(mode));
    SendOptions options;
    options.signature = mode;
    expect_refused(401, {}, options);
  }
}

TEST_F(PartnerWebhookRefusal, RefusesABadOrMissingCompanyKey) {
  for (auto mode :
       {BearerMode::bad_jwt, BearerMode::alg_none, BearerMode::expired_jwt, BearerMode::missing}) {
    SCOPED_TRACE(static_cast<int>(mode));
    SendOptions options;
    options.bearer = mode;
    expect_refused(401, {}, options);
  }
  expect_refused(401, {}, {}, "not-a-configured-token");
}

TEST_F(PartnerWebhookRefusal, AcceptsTheLegacyBearerToken) {
  SendOptions options;
  options.bearer = BearerMode::legacy;
  auto sent = engine_->sender().send(kToken, {}, options);
  EXPECT_EQ(sent.response.status, 202) << sent.response.body;
  EXPECT_TRUE(engine_->order(sent.params.partner_result_id).has_value());
}

TEST_F(PartnerWebhookRefusal, RefusesTheLegacyBearerTokenOfATenantWithoutTheLegacyFlag) {
  SendOptions options;
  options.bearer = BearerMode::legacy;
  const std::string reason = expect_refused(401, {}, options, kOtherToken);
  EXPECT_NE(reason.find("signed provider key"), std::string::npos) << reason;
}

TEST_F(PartnerWebhookRefusal, RefusesAnotherCompany) {
  WebhookParams params;
  params.company_uuid = "zZ9yY8xX7wV";
  expect_refused(403, params);
}

TEST_F(PartnerWebhookRefusal, RefusesAnUnknownTestWithAPlainTextReason) {
  WebhookParams params;
  params.test = "testvendor:no_such_test";
  EXPECT_NE(expect_refused(422, params).find("testvendor:no_such_test"), std::string::npos);
  params.test = "nosuchvendor:t1";
  EXPECT_NE(expect_refused(422, params).find("nosuchvendor:t1"), std::string::npos);
  params.test = "";
  expect_refused(422, params);
}

TEST_F(PartnerWebhookRefusal, RefusesATestOfADisabledProvider) {
  WebhookParams params;
  params.test = "paused:t1";
  EXPECT_NE(expect_refused(422, params).find("disabled"), std::string::npos);
}

TEST_F(PartnerWebhookRefusal, RefusesACandidateWithoutEmail) {
  WebhookParams params;
  params.email = "";
  EXPECT_NE(expect_refused(422, params).find("email"), std::string::npos);
}

TEST_F(PartnerWebhookRefusal, RefusesARefusedWebhooksSignatureWithAnotherBody) {
  // The signature covers only the event id: once it verified, the id is spent.
  WebhookParams refused;
  refused.event_id = fakes::random_uuid();
  refused.partner_result_id = fakes::random_uuid();
  refused.test = "testvendor:no_such_test";
  SendOptions options;
  options.timestamp = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  auto first = engine_->sender().send(kToken, refused, options);
  ASSERT_EQ(first.response.status, 422) << first.response.body;
  WebhookParams replay;
  replay.event_id = refused.event_id;  // the same Teamtailor-Signature, a valid body
  EXPECT_NE(expect_refused(409, replay, options).find("event id"), std::string::npos);
  // A body that would be refused on its own is still answered as the replay it is.
  WebhookParams refused_replay = refused;
  refused_replay.partner_result_id = fakes::random_uuid();
  EXPECT_NE(expect_refused(409, refused_replay, options).find("event id"), std::string::npos);
  // The very same refused body again is a retry: the same refusal, not the replay one.
  SendOptions same_body = options;
  same_body.body = first.body;
  EXPECT_EQ(engine_->sender().send(kToken, refused, same_body).response.status, 422);
  EXPECT_FALSE(engine_->order(refused.partner_result_id).has_value());
}

TEST_F(PartnerWebhookRefusal, ARedeliveryOfAnAcceptedWebhookGetsItsStoredAnswerOnly) {
  WebhookParams params;
  params.event_id = fakes::random_uuid();
  params.partner_result_id = fakes::random_uuid();
  SendOptions options;
  options.timestamp = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  auto first = engine_->sender().send(kToken, params, options);
  ASSERT_EQ(first.response.status, 202) << first.response.body;
  SendOptions same_body = options;
  same_body.body = first.body;
  auto retry = engine_->sender().send(kToken, params, same_body);
  EXPECT_EQ(retry.response.status, 202) << retry.response.body;
  EXPECT_EQ(retry.response.body, first.response.body);
  // Another body (another result id) under the accepted event id: the stored answer, nothing new.
  WebhookParams other = params;
  other.partner_result_id = fakes::random_uuid();
  auto redelivered = engine_->sender().send(kToken, other, options);
  EXPECT_EQ(redelivered.response.status, 202) << redelivered.response.body;
  EXPECT_EQ(redelivered.response.body, first.response.body);
  EXPECT_FALSE(engine_->order(other.partner_result_id).has_value());
}

TEST_F(PartnerWebhookRefusal, AnotherTenantsResultIdIsRefusedNotDeduplicated) {
  WebhookParams params;
  params.partner_result_id = fakes::random_uuid();
  auto first = engine_->sender().send(kToken, params);
  ASSERT_EQ(first.response.status, 202) << first.response.body;
  // globex sends a webhook with acme's result id: it must not get acme's answer as a duplicate.
  WebhookParams other;
  other.partner_result_id = params.partner_result_id;
  auto sent = engine_->sender().send(kOtherToken, other);
  EXPECT_EQ(sent.response.status, 409) << sent.response.body;
  auto order = engine_->order(params.partner_result_id);
  ASSERT_TRUE(order.has_value());
  EXPECT_EQ(order->tenant, "acme");
}

TEST_F(PartnerWebhookRefusal, RefusesAMalformedBody) {
  SendOptions options;
  options.body = "{\"data\": [not json";
  expect_refused(400, {}, options);
  options.body = R"({"data":{"type":"not-a-partner-event"}})";
  expect_refused(400, {}, options);
}

TEST_F(PartnerWebhookRefusal, RefusesAnOversizedBody) {
  SendOptions options;
  options.body = std::string(std::size_t{64} * 1024, 'x');
  auto sent = engine_->sender().send(kToken, {}, options);
  EXPECT_EQ(sent.response.status, 413) << sent.response.body << sent.response.error;
  EXPECT_FALSE(engine_->order(sent.params.partner_result_id).has_value());
}

}  // namespace
}  // namespace ttb
