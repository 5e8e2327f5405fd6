// Activation through the real daemon (docs/protocols/teamtailor.md, "Activation form"):
// GET /activation/validate answers 200 for a configured tenant's token, sent as Teamtailor's JWT
// or as the bare legacy token, and a status >= 400 with {"errors": [...]} for anything else.

#include <gtest/gtest.h>

#include "engine_fixture.h"

namespace ttb {
namespace {

using fakes::BearerMode;
using testing::Engine;
using testing::EngineOptions;
using testing::tenant_yaml;

class PartnerActivation : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    EngineOptions options;
    // acme's company still has an activation older than the JWT form; strict's has not.
    options.tenants = {{"acme.yaml", tenant_yaml("acme", "acme-activation-token-0123", "") +
                                         "legacy_provider_key: true\n"},
                       {"strict.yaml", tenant_yaml("strict", "strict-activation-token-0123", "")}};
    engine_ = new Engine(options);
    ASSERT_TRUE(engine_->start()) << engine_->log();
  }
  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
  }
  static Engine* engine_;
};
Engine* PartnerActivation::engine_ = nullptr;

void expect_errors_body(const net::ClientResponse& response) {
  EXPECT_GE(response.status, 400);
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  ASSERT_TRUE(body.is_object()) << response.body;
  ASSERT_TRUE(body.contains("errors") && body["errors"].is_array()) << response.body;
  ASSERT_FALSE(body["errors"].empty());
  EXPECT_FALSE(body["errors"][0].get<std::string>().empty());
}

TEST_F(PartnerActivation, ServesTheFormWithTheTokenField) {
  auto response = engine_->sender().get("/activation", "acme-activation-token-0123");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_NE(response.body.find("externalTriggerToken"), std::string::npos) << response.body;
}

TEST_F(PartnerActivation, ValidatesAKnownTokenAsJwt) {
  auto response = engine_->sender().get("/activation/validate", "acme-activation-token-0123");
  EXPECT_EQ(response.status, 200) << response.body;
}

TEST_F(PartnerActivation, ValidatesAKnownTokenAsLegacyBearer) {
  auto response = engine_->sender().get("/activation/validate", "acme-activation-token-0123",
                                        BearerMode::legacy);
  EXPECT_EQ(response.status, 200) << response.body;
}

TEST_F(PartnerActivation, RefusesALegacyBearerUnlessTheTenantAllowsIt) {
  EXPECT_EQ(engine_->sender().get("/activation/validate", "strict-activation-token-0123").status,
            200);
  // The raw token carries no expiry, so it is no way around the JWT for a tenant that did not
  // opt in.
  expect_errors_body(engine_->sender().get("/activation/validate", "strict-activation-token-0123",
                                           BearerMode::legacy));
}

TEST_F(PartnerActivation, RefusesAnUnknownToken) {
  expect_errors_body(engine_->sender().get("/activation/validate", "not-a-token"));
  expect_errors_body(
      engine_->sender().get("/activation/validate", "not-a-token", BearerMode::legacy));
}

TEST_F(PartnerActivation, RefusesABadOrMissingJwt) {
  for (auto mode :
       {BearerMode::bad_jwt, BearerMode::alg_none, BearerMode::expired_jwt, BearerMode::missing}) {
    SCOPED_TRACE(static_cast<int>(mode));
    expect_errors_body(
        engine_->sender().get("/activation/validate", "acme-activation-token-0123", mode));
  }
}

}  // namespace
}  // namespace ttb
