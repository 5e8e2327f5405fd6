// config: the tenant file's provider config, checked at create(); errors name the setting and
// never echo a secret.
#include "config.h"

#include <gtest/gtest.h>

#include "ttbridge/plugin.hpp"

namespace ttb::codility {
namespace {

std::string error_of(std::string_view config) {
  try {
    parse_config(config);
  } catch (const sdk::Error& e) {
    EXPECT_EQ(e.status(), TTB_STATUS_INVALID);
    return e.what();
  }
  return "";
}

TEST(CodilityConfig, ReadsTheTokenAndDefaultsTheRest) {
  Config c = parse_config(R"({"api_token":"tok-1"})");
  EXPECT_EQ(c.api_token, "tok-1");
  EXPECT_EQ(c.base_url, "https://codility.com/api");
  EXPECT_EQ(c.callback_secret, "");
}

TEST(CodilityConfig, TrimsTheBaseUrlAndKeepsTheCallbackSecret) {
  Config c = parse_config(R"({"api_token":"t","base_url":"http://127.0.0.1:8080/api///",
                              "callback_secret":"0123456789abcdef"})");
  EXPECT_EQ(c.base_url, "http://127.0.0.1:8080/api");
  EXPECT_EQ(c.callback_secret, "0123456789abcdef");
}

TEST(CodilityConfig, RefusesAMissingOrMalformedToken) {
  EXPECT_NE(error_of("{}").find("`api_token` is required"), std::string::npos);
  EXPECT_NE(error_of(R"({"api_token":""})").find("non-empty"), std::string::npos);
  EXPECT_NE(error_of(R"({"api_token":42})").find("non-empty"), std::string::npos);
  EXPECT_NE(error_of(R"({"api_token":"a b"})").find("whitespace"), std::string::npos);
  EXPECT_NE(error_of("[1]").find("JSON object"), std::string::npos);
  EXPECT_NE(error_of("not json").find("JSON object"), std::string::npos);
}

TEST(CodilityConfig, RefusesABadBaseUrlOrAShortCallbackSecret) {
  EXPECT_NE(error_of(R"({"api_token":"t","base_url":"ftp://x"})").find("`base_url`"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"api_token":"t","base_url":"https://x/api?y=1"})").find("query"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"api_token":"t","callback_secret":"short"})").find("at least 16"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"api_token":"t","callback_secret":7})").find("`callback_secret`"),
            std::string::npos);
}

TEST(CodilityConfig, NeverEchoesTheSecrets) {
  std::string e = error_of(R"({"api_token":"sekrit token"})");
  EXPECT_EQ(e.find("sekrit"), std::string::npos) << e;
  e = error_of(R"({"api_token":"t","callback_secret":"tiny-sekrit"})");
  EXPECT_EQ(e.find("tiny-sekrit"), std::string::npos) << e;
}

}  // namespace
}  // namespace ttb::codility
