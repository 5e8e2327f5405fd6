// The provider config of plugins/checkr: defaults, every setting, and errors that name the
// setting but never echo its value.
#include <gtest/gtest.h>

#include "config.h"
#include "ttbridge/plugin.hpp"

namespace {

using ttb::checkr::Config;
using ttb::checkr::parse_config;
using ttb::checkr::ScoreMode;

// parse_config's refusal of `json`: its status and message. Fails the test when it accepts it.
ttb::sdk::Error refusal(const char* json) {
  try {
    parse_config(json);
  } catch (const ttb::sdk::Error& e) {
    return e;
  }
  ADD_FAILURE() << "parse_config accepted " << json;
  return ttb::sdk::Error(TTB_STATUS_OK, "");
}

TEST(CheckrConfig, AppliesDefaultsWithOnlyAnApiKey) {
  Config c = parse_config(R"({"api_key":"sk_live_123"})");
  EXPECT_EQ(c.api_key, "sk_live_123");
  EXPECT_EQ(c.webhook_key, "sk_live_123");
  EXPECT_EQ(c.base_url, "https://api.checkr.com/v1");
  EXPECT_FALSE(c.work_location);
  EXPECT_EQ(c.score, ScoreMode::none);
  EXPECT_TRUE(c.tags.empty());
}

TEST(CheckrConfig, ReadsEverySetting) {
  Config c = parse_config(
      R"({"api_key":"k","webhook_key":"client-secret","base_url":"https://api.checkr-staging.com/v1/",
    "work_location":{"country":"US","state":"CA","city":"San Francisco"},"node":"hq","tags":["teamtailor","eng"],
    "score":"assessment","report_url_template":"https://dashboard.checkr.com/reports/{report_id}"})");
  EXPECT_EQ(c.webhook_key, "client-secret");
  EXPECT_EQ(c.base_url, "https://api.checkr-staging.com/v1");  // trailing slash dropped
  ASSERT_TRUE(c.work_location);
  EXPECT_EQ(c.work_location->state, "CA");
  EXPECT_EQ(c.work_location->city, "San Francisco");
  EXPECT_EQ(c.node, "hq");
  EXPECT_EQ(c.tags, (std::vector<std::string>{"teamtailor", "eng"}));
  EXPECT_EQ(c.score, ScoreMode::assessment);
  EXPECT_EQ(c.report_url_template, "https://dashboard.checkr.com/reports/{report_id}");
}

TEST(CheckrConfig, ScoreBinaryIsAccepted) {
  EXPECT_EQ(parse_config(R"({"api_key":"k","score":"binary"})").score, ScoreMode::binary);
}

struct BadConfig {
  const char* json;
  const char* names;  // the setting the message must name
};

class CheckrConfigErrors : public ::testing::TestWithParam<BadConfig> {};

TEST_P(CheckrConfigErrors, NameTheSettingAndNeverItsValue) {
  ttb::sdk::Error e = refusal(GetParam().json);
  EXPECT_EQ(e.status(), TTB_STATUS_INVALID);
  const std::string message = e.what();
  EXPECT_NE(message.find(GetParam().names), std::string::npos) << message;
  EXPECT_EQ(message.find("SECRETVALUE"), std::string::npos) << message;
}

INSTANTIATE_TEST_SUITE_P(
    All, CheckrConfigErrors,
    ::testing::Values(
        BadConfig{R"({})", "api_key"}, BadConfig{R"({"api_key":""})", "api_key"},
        BadConfig{R"({"api_key":42})", "api_key"}, BadConfig{R"("SECRETVALUE")", "api_key"},
        BadConfig{R"({"api_key":"SECRETVALUE","base_url":"ftp://SECRETVALUE"})", "base_url"},
        BadConfig{R"({"api_key":"SECRETVALUE","score":"SECRETVALUE"})", "score"},
        BadConfig{R"({"api_key":"SECRETVALUE","work_location":{"country":"US"}})",
                  "work_location.state"},
        BadConfig{R"({"api_key":"SECRETVALUE","work_location":{"country":"USA","state":"CA"}})",
                  "work_location.country"},
        BadConfig{R"({"api_key":"SECRETVALUE","work_location":"CA"})", "work_location"},
        BadConfig{R"({"api_key":"SECRETVALUE","tags":"x"})", "tags"},
        BadConfig{R"({"api_key":"SECRETVALUE","tags":[1]})", "tags"},
        BadConfig{R"({"api_key":"SECRETVALUE","report_url_template":"https://x/no-placeholder"})",
                  "report_url_template"},
        BadConfig{R"({"api_key":"SECRETVALUE","scroe":"binary"})", "scroe"}));

}  // namespace
