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
      {"hackerrank",
       "HackerRank",
       {{"3", "C++ (60 min)", "", {}}, {"4", "SQL", "", {}}},
       false,
       ""},
      {"checkr", "", {{"basic_criminal", "Basic criminal", "", {}}}, false, ""},
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

TEST(Forms, DurationGoesIntoTheLabelAndDescriptionsIntoAnInfobox) {
  std::vector<ProviderTests> providers = {
      {"hackerrank",
       "HackerRank",
       {{"java", "Java (senior)", "Spring <and> JPA", 90},
        {"sql", "SQL", "", 45},
        {"long", "Onboarding", "", 150},
        {"free", "Free", "", std::nullopt}},
       false,
       ""},
      {"checkr", "Checkr", {{"basic", "Basic", "County criminal search, 7 years", {}}}, false, ""},
  };
  auto form = Json::parse(config_form(providers));
  const auto& fields = form["config"]["fields"];
  ASSERT_EQ(fields.size(), 2u) << form.dump();
  const auto& options = fields[0]["optgroups"][0]["options"];
  EXPECT_EQ(options[0]["label"], "Java (senior) (90 min)");
  EXPECT_EQ(options[1]["label"], "SQL (45 min)");
  EXPECT_EQ(options[2]["label"], "Onboarding (2 h 30 min)");
  EXPECT_EQ(options[3]["label"], "Free");
  EXPECT_EQ(options[0]["id"], "hackerrank:java");  // the id is unchanged

  EXPECT_EQ(fields[1]["type"], "infobox");
  EXPECT_EQ(fields[1]["icon"], "info");
  EXPECT_EQ(fields[1]["content"],
            "<p><strong>HackerRank</strong></p><ul><li><strong>Java (senior) (90 min)</strong>: "
            "Spring &lt;and&gt; JPA</li></ul><p><strong>Checkr</strong></p><ul><li><strong>Basic"
            "</strong>: County criminal search, 7 years</li></ul>");
}

TEST(Forms, NoDescriptionsNoInfoboxAndLongOnesAreShortened) {
  std::vector<ProviderTests> plain = {{"v", "V", {{"1", "One", "One", 10}}, false, ""}};
  // A description equal to the name says nothing more.
  EXPECT_EQ(Json::parse(config_form(plain))["config"]["fields"].size(), 1u);

  std::vector<ProviderTests> wordy = {
      {"v", "V", {{"1", "One", std::string(1000, 'x'), std::nullopt}}, false, ""}};
  const std::string content =
      Json::parse(config_form(wordy))["config"]["fields"][1]["content"].get<std::string>();
  EXPECT_LT(content.size(), 400u);
  EXPECT_NE(content.find("x\u2026"), std::string::npos);
}

TEST(Forms, StaleProviderAddsEscapedWarningInfobox) {
  std::vector<ProviderTests> providers = {
      {"codility", "Codility", {{"t1", "Task 1", "", {}}}, true, "Vendor <down> since 10:00"},
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

TEST(Forms, AProviderWithoutTestsBesideOthersStillGetsItsWarning) {
  std::vector<ProviderTests> providers = {
      {"codility", "Codility", {{"t1", "Task 1", "", {}}}, false, ""},
      {"segv", "segv", {}, true, "Its plugin kept crashing."},
  };
  auto form = Json::parse(config_form(providers));
  const auto& fields = form["config"]["fields"];
  ASSERT_EQ(fields.size(), 2u) << form.dump(1);
  EXPECT_EQ(fields[0]["type"], "infobox");
  const std::string content = fields[0]["content"];
  EXPECT_NE(content.find("The tests of segv cannot be listed right now."), std::string::npos);
  EXPECT_NE(content.find("kept crashing"), std::string::npos);
  EXPECT_EQ(fields[1]["id"], "test");
  EXPECT_EQ(fields[1]["optgroups"].size(), 1u);
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
  std::vector<ProviderTests> providers = {
      {"v", "V", {{"1", "bad \xff label", "bad \xfe text", 5}}, false, ""}};
  Json form;
  EXPECT_NO_THROW(form = Json::parse(config_form(providers)));
  EXPECT_TRUE(form["config"]["fields"].is_array());
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
