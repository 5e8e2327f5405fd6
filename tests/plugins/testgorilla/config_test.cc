// config: the provider's settings from the tenant file, and the errors that name a bad setting
// without echoing a secret.
#include "config.h"

#include <gtest/gtest.h>

#include "ttbridge/plugin.hpp"

namespace ttb::testgorilla {
namespace {

std::string error_of(const std::string& json) {
  try {
    parse_config(json);
  } catch (const sdk::Error& e) {
    EXPECT_EQ(e.status(), TTB_STATUS_INVALID);
    return e.what();
  }
  return "";
}

TEST(TestGorillaConfig, TokenAloneUsesTheDefaults) {
  Config c = parse_config(R"({"api_token":"tok-1"})");
  EXPECT_EQ(c.api_token, "tok-1");
  EXPECT_EQ(c.base_url, "https://app.testgorilla.com/api");
  EXPECT_TRUE(c.send_email);
  EXPECT_EQ(c.report_url_template, kDefaultReportUrlTemplate);
}

TEST(TestGorillaConfig, UsernameAndPasswordInsteadOfAToken) {
  Config c = parse_config(
      R"({"username":"api@acme.example","password":"s3cret pass","base_url":"http://127.0.0.1:1/api/","send_email":false,"report_url_template":""})");
  EXPECT_TRUE(c.api_token.empty());
  EXPECT_EQ(c.username, "api@acme.example");
  EXPECT_EQ(c.password, "s3cret pass");
  EXPECT_EQ(c.base_url, "http://127.0.0.1:1/api");  // trailing '/' dropped
  EXPECT_FALSE(c.send_email);
  EXPECT_TRUE(c.report_url_template.empty());
}

TEST(TestGorillaConfig, RefusalsNameTheSettingButNeverItsValue) {
  EXPECT_NE(error_of("[]").find("JSON object"), std::string::npos);
  EXPECT_NE(error_of("{}").find("api_token"), std::string::npos);
  EXPECT_NE(error_of(R"({"username":"u"})").find("password"), std::string::npos);
  EXPECT_NE(error_of(R"({"api_token":""})").find("api_token"), std::string::npos);
  const std::string spaced = error_of(R"({"api_token":"tok en-secret"})");
  EXPECT_NE(spaced.find("whitespace"), std::string::npos);
  EXPECT_EQ(spaced.find("tok en-secret"), std::string::npos);
  EXPECT_NE(error_of(R"({"api_token":"t","base_url":"ftp://x"})").find("base_url"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"api_token":"t","base_url":"https://x/api?q=1"})").find("base_url"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"api_token":"t","send_email":"no"})").find("send_email"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"api_token":"t","report_url_template":"javascript:x"})")
                .find("report_url_template"),
            std::string::npos);
}

TEST(TestGorillaConfig, UnknownKeysAreIgnored) {
  EXPECT_NO_THROW(parse_config(R"({"api_token":"t","future_setting":1})"));
}

}  // namespace
}  // namespace ttb::testgorilla
