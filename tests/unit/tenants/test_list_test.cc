// parse_tests: the list_tests payload a plugin returns. Plugin output is outside input, so a bad
// field keeps its default, a bad list is refused with a reason, and nothing throws
// (tests/fuzz/tenants_test_list_fuzz.cc fuzzes it; the inputs below are in its corpus).
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "tenants/test_catalog.h"

namespace ttb::tenants {
namespace {

TEST(TestList, ReadsTheDocumentedFieldsWithDefaults) {
  std::string error;
  auto tests = parse_tests(
      R"({"tests":[{"id":"t1","name":"C++","kind":"background_check","description":"90 min",)"
      R"("duration_minutes":90},{"id":"t2","name":null}]})",
      error);
  ASSERT_TRUE(tests) << error;
  ASSERT_EQ(tests->size(), 2u);
  EXPECT_EQ((*tests)[0].name, "C++");
  EXPECT_EQ((*tests)[0].kind, "background_check");
  EXPECT_EQ((*tests)[0].duration_minutes, 90);
  EXPECT_EQ((*tests)[1].name, "t2");  // no name: the id stands in
  EXPECT_EQ((*tests)[1].kind, "assessment");
  EXPECT_EQ((*tests)[1].description, "");
}

// A non-string name threw nlohmann's type_error out of parse_tests, which GET /config answered
// with a 500. Now the bad field keeps its default and is named for the log line.
TEST(TestList, ANonStringNameKindOrDescriptionKeepsItsDefaultAndIsNamed) {
  struct Case {
    const char* text;
    const char* dropped;
  };
  for (const Case& c : {Case{R"({"tests":[{"id":"t1","name":1}]})", "t1.name"},
                        Case{R"({"tests":[{"id":"t1","kind":["assessment"]}]})", "t1.kind"},
                        Case{R"({"tests":[{"id":"t1","description":{"a":1}}]})", "t1.description"},
                        Case{R"({"tests":[{"id":"t1","name":true}]})", "t1.name"}}) {
    std::string error;
    std::vector<std::string> dropped;
    std::optional<std::vector<TestInfo>> tests;
    EXPECT_NO_THROW(tests = parse_tests(c.text, error, dropped)) << c.text;
    ASSERT_TRUE(tests) << c.text << ": " << error;
    ASSERT_EQ(tests->size(), 1u) << c.text;
    EXPECT_EQ((*tests)[0].name, "t1") << c.text;
    EXPECT_EQ((*tests)[0].kind, "assessment") << c.text;
    EXPECT_EQ((*tests)[0].description, "") << c.text;
    EXPECT_EQ(dropped, std::vector<std::string>{c.dropped}) << c.text;
  }
}

}  // namespace
}  // namespace ttb::tenants
