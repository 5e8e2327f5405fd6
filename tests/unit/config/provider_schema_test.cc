// A provider's config against its plugin's schema: each broken rule is a problem at the
// provider's entry that names the config key, never its value.

#include "config/provider_schema.h"

#include <gtest/gtest.h>

namespace ttb::config {
namespace {

using nlohmann::json;

const json kSchema = json::parse(R"({"type":"object","required":["api_key"],"properties":{
  "api_key":{"type":"string","secret":true,"description":"The key."},
  "send_email":{"type":"boolean","default":true},
  "retries":{"type":"integer"},
  "score":{"type":"string","enum":["none","binary"]},
  "tags":{"type":"array"},
  "work_location":{"type":"object","required":["state"],"properties":{
    "state":{"type":"string"}}}}})");

const SourceRef kWhere{"tenants/acme.yaml", 7, 5};

std::vector<std::string> messages(const json& config) {
  std::vector<std::string> out;
  for (const auto& p : check_provider_config(kSchema, config, kWhere, "checkr", "checkr"))
    out.push_back(p.to_string());
  return out;
}

TEST(ProviderSchemaTest, AConfigThatFitsHasNoProblems) {
  EXPECT_TRUE(messages(json::parse(R"({"api_key":"sk","send_email":false,"retries":3,
    "score":"binary","tags":["a"],"work_location":{"state":"CA"}})"))
                  .empty());
}

TEST(ProviderSchemaTest, AMissingRequiredKeyIsNamedAtTheProvidersLine) {
  auto m = messages(json::object());
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0],
            "tenants/acme.yaml:7:5: provider checkr: `config.api_key` is required by plugin "
            "checkr");
}

TEST(ProviderSchemaTest, WrongTypesEnumsAndNestedKeysAreEachNamed) {
  auto m = messages(json::parse(R"({"api_key":42,"send_email":"yes","retries":1.5,
    "score":"maybe","work_location":{"city":"x"}})"));
  ASSERT_EQ(m.size(), 6u);
  auto has = [&](const std::string& text) {
    for (const auto& line : m)
      if (line.find(text) != std::string::npos) return true;
    return false;
  };
  EXPECT_TRUE(has("`config.api_key` must be a string"));
  EXPECT_TRUE(has("`config.send_email` must be true or false"));
  EXPECT_TRUE(has("`config.retries` must be a whole number"));
  EXPECT_TRUE(has(R"(`config.score` must be one of "none", "binary")"));
  EXPECT_TRUE(has("`config.work_location.state` is required"));
  EXPECT_TRUE(has("`config.work_location.city` is not a setting of plugin checkr"));
}

TEST(ProviderSchemaTest, ValuesAreNeverEchoed) {
  for (const auto& line : messages(json::parse(R"({"api_key":["sk_live_SECRET"]})")))
    EXPECT_EQ(line.find("SECRET"), std::string::npos) << line;
}

TEST(ProviderSchemaTest, AnUnknownKeyNamesTheKnownOnes) {
  auto m = messages(json::parse(R"({"api_key":"k","api_kye":"k"})"));
  ASSERT_EQ(m.size(), 1u);
  EXPECT_NE(m[0].find("`config.api_kye` is not a setting of plugin checkr (it knows: api_key,"),
            std::string::npos)
      << m[0];
}

TEST(ProviderSchemaTest, SchemasOutsideTheSubsetAreRefused) {
  EXPECT_TRUE(schema_problems(kSchema).empty());
  EXPECT_FALSE(schema_problems(json::parse(R"({"type":"string"})")).empty());
  EXPECT_FALSE(
      schema_problems(json::parse(R"({"type":"object","properties":{"a":{"type":"date"}}})"))
          .empty());
  EXPECT_FALSE(schema_problems(json::parse(
                                   R"({"type":"object","properties":{"a":{"type":"string",
                                   "pattern":"x"}}})"))
                   .empty());
  EXPECT_FALSE(schema_problems(json::parse(R"({"type":"object","required":["b"],"properties":{}})"))
                   .empty());
  EXPECT_FALSE(schema_problems(json::parse(
                                   R"({"type":"object","properties":{"a":{"type":"integer",
                                   "default":"x"}}})"))
                   .empty());
}

}  // namespace
}  // namespace ttb::config
