// The provider config of plugins/checkr: defaults, every setting, and errors that name the
// setting but never echo its value.
#include <gtest/gtest.h>

#include "config.h"

namespace {

using ttb::checkr::parse_config;
using ttb::checkr::ScoreMode;

TEST(CheckrConfig, AppliesDefaultsWithOnlyAnApiKey) {
  auto r = parse_config(R"({"api_key":"sk_live_123"})");
  ASSERT_TRUE(r.config) << r.error;
  EXPECT_EQ(r.config->api_key, "sk_live_123");
  EXPECT_EQ(r.config->webhook_key, "sk_live_123");
  EXPECT_EQ(r.config->base_url, "https://api.checkr.com/v1");
  EXPECT_FALSE(r.config->work_location);
  EXPECT_EQ(r.config->score, ScoreMode::none);
  EXPECT_TRUE(r.config->tags.empty());
}

TEST(CheckrConfig, ReadsEverySetting) {
  auto r = parse_config(
      R"({"api_key":"k","webhook_key":"client-secret","base_url":"https://api.checkr-staging.com/v1/",
    "work_location":{"country":"US","state":"CA","city":"San Francisco"},"node":"hq","tags":["teamtailor","eng"],
    "score":"assessment","report_url_template":"https://dashboard.checkr.com/reports/{report_id}"})");
  ASSERT_TRUE(r.config) << r.error;
  const auto& c = *r.config;
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
  auto r = parse_config(R"({"api_key":"k","score":"binary"})");
  ASSERT_TRUE(r.config);
  EXPECT_EQ(r.config->score, ScoreMode::binary);
}

struct BadConfig {
  const char* json;
  const char* names;  // the setting the message must name
};

class CheckrConfigErrors : public ::testing::TestWithParam<BadConfig> {};

TEST_P(CheckrConfigErrors, NameTheSettingAndNeverItsValue) {
  auto r = parse_config(GetParam().json);
  ASSERT_FALSE(r.config);
  EXPECT_NE(r.error.find(GetParam().names), std::string::npos) << r.error;
  EXPECT_EQ(r.error.find("SECRETVALUE"), std::string::npos) << r.error;
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
