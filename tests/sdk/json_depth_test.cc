// json_depth.hpp: how deeply a JSON text nests, counted without parsing it: brackets inside
// strings (escaped quotes included) do not count, and a closing bracket ends a level.
#include "ttbridge/json_depth.hpp"

#include <string>

#include <gtest/gtest.h>

namespace {

using ttb::sdk::json_nests_deeper_than;

TEST(SdkJsonDepth, CountsObjectsAndArraysNotStrings) {
  EXPECT_FALSE(json_nests_deeper_than(R"({"a":[1,{"b":2}]})", 3));
  EXPECT_TRUE(json_nests_deeper_than(R"({"a":[1,{"b":2}]})", 2));
  EXPECT_FALSE(json_nests_deeper_than(R"({"a":"[[[[{{{{"})", 1));
  EXPECT_FALSE(json_nests_deeper_than(R"({"a":"\"[[[["})", 1));
  EXPECT_TRUE(json_nests_deeper_than(R"({"a":"\\"}, [[]])", 1))
      << "an escaped backslash ends no string";
  EXPECT_FALSE(json_nests_deeper_than(R"([[]], [[]], [[]])", 2)) << "siblings are not deeper";
  EXPECT_FALSE(json_nests_deeper_than("", 0));
  EXPECT_FALSE(json_nests_deeper_than("42", 0));
}

TEST(SdkJsonDepth, AVendorsHostileAnswerIsFoundInOnePass) {
  const std::string deep = std::string(1'000'000, '[') + std::string(1'000'000, ']');
  EXPECT_TRUE(json_nests_deeper_than(deep, ttb::sdk::kMaxVendorJsonDepth));
  EXPECT_FALSE(json_nests_deeper_than(deep, 1'000'000));
}

}  // namespace
