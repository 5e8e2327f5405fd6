// test_list.hpp: the test ids the host accepts in list_tests' answer.
#include "ttbridge/test_list.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using ttb::sdk::is_valid_test_id;
using ttb::sdk::kMaxTestIdBytes;

TEST(SdkTestList, AnIdIsOneTo200BytesWithoutControlCharacters) {
  EXPECT_TRUE(is_valid_test_id("basic_criminal"));
  EXPECT_TRUE(is_valid_test_id("4711"));
  EXPECT_TRUE(is_valid_test_id("Java (senior) – 90 min"));  // spaces and UTF-8 are fine
  EXPECT_TRUE(is_valid_test_id(std::string(kMaxTestIdBytes, 'a')));
  EXPECT_FALSE(is_valid_test_id(std::string(kMaxTestIdBytes + 1, 'a')));
  EXPECT_FALSE(is_valid_test_id(""));
  EXPECT_FALSE(is_valid_test_id("a\nb"));
  EXPECT_FALSE(is_valid_test_id("a\tb"));
  EXPECT_FALSE(is_valid_test_id(std::string("a\0b", 3)));
  EXPECT_FALSE(is_valid_test_id("a\x7f"));
}

}  // namespace
