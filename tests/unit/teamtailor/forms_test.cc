#include "teamtailor/forms.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ttb::teamtailor {
namespace {

using Json = nlohmann::json;

TEST(Forms, ActivationFormHasInfoboxAndRequiredPasswordField) {
  auto form = Json::parse(activation_form("<b>help</b>"));
  const auto& fields = form["config"]["fields"];
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0]["type"], "infobox");
  EXPECT_EQ(fields[0]["content"], "<b>help</b>");
  EXPECT_EQ(fields[1]["id"], "externalTriggerToken");
  EXPECT_EQ(fields[1]["type"], "password");
  EXPECT_EQ(fields[1]["label"], "External Trigger Token");
  EXPECT_EQ(fields[1]["required"], true);
  EXPECT_TRUE(fields[1]["description"].is_string());
  EXPECT_EQ(form["config"]["validateEndpoint"], "activation/validate");
}

TEST(Forms, ConfigFormHasOneOptgroupPerProviderWithPrefixedIds) {
  std::vector<ProviderTests> providers = {
      {"hackerrank", "HackerRank", {{"3", "C++ (60 min)"}, {"4", "SQL"}}, false, ""},
      {"checkr", "", {{"basic_criminal", "Basic criminal"}}, false, ""},
  };
  auto form = Json::parse(config_form(providers));
  const auto& fields = form["config"]["fields"];
  ASSERT_EQ(fields.size(), 1u);
  const auto& select = fields[0];
  EXPECT_EQ(select["id"], "test");
  EXPECT_EQ(select["type"], "select");
  EXPECT_EQ(select["required"], true);
  ASSERT_EQ(select["optgroups"].size(), 2u);
  EXPECT_EQ(select["optgroups"][0]["label"], "HackerRank");
  EXPECT_EQ(select["optgroups"][0]["options"][0]["id"], "hackerrank:3");
  EXPECT_EQ(select["optgroups"][0]["options"][0]["label"], "C++ (60 min)");
  EXPECT_EQ(select["optgroups"][0]["options"][1]["id"], "hackerrank:4");
  EXPECT_EQ(select["optgroups"][1]["label"], "checkr");
  EXPECT_EQ(select["optgroups"][1]["options"][0]["id"], "checkr:basic_criminal");
}

TEST(Forms, StaleProviderAddsEscapedWarningInfobox) {
  std::vector<ProviderTests> providers = {
      {"codility", "Codility", {{"t1", "Task 1"}}, true, "Vendor <down> since 10:00"},
  };
  auto form = Json::parse(config_form(providers));
  const auto& fields = form["config"]["fields"];
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0]["type"], "infobox");
  EXPECT_EQ(fields[0]["icon"], "warning");
  const std::string content = fields[0]["content"];
  EXPECT_NE(content.find("Codility"), std::string::npos);
  EXPECT_NE(content.find("&lt;down&gt;"), std::string::npos);
  EXPECT_EQ(content.find("<down>"), std::string::npos);
  EXPECT_EQ(fields[1]["id"], "test");
}

TEST(Forms, NoTestsAtAllGivesAnErrorField) {
  std::vector<ProviderTests> providers = {{"codility", "Codility", {}, true, "timeout"}};
  auto form = Json::parse(config_form(providers));
  const auto& fields = form["config"]["fields"];
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0]["type"], "error");
  EXPECT_NE(fields[0]["message"].get<std::string>().find("Codility"), std::string::npos);

  auto empty = Json::parse(config_form({}));
  EXPECT_EQ(empty["config"]["fields"][0]["type"], "error");
}

TEST(Forms, ErrorFormAndValidationErrorsHaveTheDocumentedShape) {
  EXPECT_EQ(
      Json::parse(error_form("Wrong authorization token")),
      Json::parse(
          R"({"config":{"fields":[{"type":"error","message":"Wrong authorization token"}]}})"));
  EXPECT_EQ(Json::parse(validation_errors({"a", "b"})), Json::parse(R"({"errors":["a","b"]})"));
}

TEST(Forms, InvalidUtf8FromVendorsDoesNotThrow) {
  std::vector<ProviderTests> providers = {{"v", "V", {{"1", "bad \xff label"}}, false, ""}};
  EXPECT_NO_THROW(Json::parse(config_form(providers)));
}

TEST(Forms, TestOptionIdsSplitAtTheFirstColon) {
  std::string provider, test;
  EXPECT_TRUE(split_test_option_id(test_option_id("hr", "a:b"), provider, test));
  EXPECT_EQ(provider, "hr");
  EXPECT_EQ(test, "a:b");
  EXPECT_FALSE(split_test_option_id("nocolon", provider, test));
  EXPECT_FALSE(split_test_option_id(":x", provider, test));
  EXPECT_FALSE(split_test_option_id("x:", provider, test));
}

}  // namespace
}  // namespace ttb::teamtailor
