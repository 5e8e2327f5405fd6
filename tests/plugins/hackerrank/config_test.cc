// The provider config: defaults, validation, and that errors name the setting but never the key.
#include "config.h"

#include <gtest/gtest.h>

#include "ttbridge/plugin.hpp"

namespace ttb::hackerrank {
namespace {

ttb::sdk::Error error_of(std::string_view json) {
  try {
    parse_config(json);
  } catch (const ttb::sdk::Error& e) {
    return e;
  }
  ADD_FAILURE() << "no error for " << json;
  return ttb::sdk::Error(TTB_STATUS_OK, "");
}

TEST(HackerRankConfig, AppliesDefaults) {
  Config s = parse_config(R"({"api_key":"k-123"})");
  EXPECT_EQ(s.api_key, "k-123");
  EXPECT_EQ(s.base_url, "https://www.hackerrank.com/x/api/v3");
  EXPECT_TRUE(s.send_email);
}

TEST(HackerRankConfig, ReadsEverySettingAndTrimsTrailingSlash) {
  Config s = parse_config(
      R"({"api_key":"k","base_url":"http://127.0.0.1:9/x/api/v3/","send_email":false,"future":1})");
  EXPECT_EQ(s.base_url, "http://127.0.0.1:9/x/api/v3");
  EXPECT_FALSE(s.send_email);
}

TEST(HackerRankConfig, MissingApiKeyNamesTheSetting) {
  auto e = error_of(R"({"base_url":"https://x.example"})");
  EXPECT_EQ(e.status(), TTB_STATUS_INVALID);
  EXPECT_NE(std::string(e.what()).find("api_key"), std::string::npos);
}

TEST(HackerRankConfig, ErrorsNeverEchoTheKeyValue) {
  for (const char* json :
       {R"({"api_key":"sekrit value"})", R"({"api_key":"sekrit","base_url":"ftp://sekrit"})",
        R"({"api_key":"sekrit","send_email":"sekrit"})"}) {
    auto e = error_of(json);
    EXPECT_EQ(e.status(), TTB_STATUS_INVALID);
    EXPECT_EQ(std::string(e.what()).find("sekrit"), std::string::npos) << e.what();
  }
}

TEST(HackerRankConfig, RejectsWrongTypes) {
  EXPECT_NE(std::string(error_of(R"({"api_key":5})").what()).find("api_key"), std::string::npos);
  EXPECT_NE(std::string(error_of(R"({"api_key":"k","base_url":"www.hackerrank.com"})").what())
                .find("base_url"),
            std::string::npos);
  EXPECT_NE(
      std::string(error_of(R"({"api_key":"k","send_email":"yes"})").what()).find("send_email"),
      std::string::npos);
  EXPECT_EQ(error_of("[1]").status(), TTB_STATUS_INVALID);
  EXPECT_EQ(error_of("not json").status(), TTB_STATUS_INVALID);
}

}  // namespace
}  // namespace ttb::hackerrank
