// parse_tests: the list_tests payload a plugin returns. Plugin output is outside input, so a bad
// list is refused with a reason and never throws (tests/fuzz/tenants_test_list_fuzz.cc fuzzes it;
// the inputs below are in its corpus).
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

// Found by the fuzz target: a non-string name threw nlohmann's type_error out of parse_tests,
// which GET /config answered with a 500.
TEST(TestList, RefusesANonStringNameKindOrDescriptionWithAReason) {
  for (const char* text :
       {R"({"tests":[{"id":"t1","name":1}]})", R"({"tests":[{"id":"t1","kind":["assessment"]}]})",
        R"({"tests":[{"id":"t1","description":{"a":1}}]})",
        R"({"tests":[{"id":"t1","name":true}]})"}) {
    std::string error;
    std::optional<std::vector<TestInfo>> tests;
    EXPECT_NO_THROW(tests = parse_tests(text, error)) << text;
    EXPECT_FALSE(tests) << text;
    EXPECT_NE(error.find("not a string"), std::string::npos) << text << ": " << error;
  }
}

}  // namespace
}  // namespace ttb::tenants
