// A program that does not link jemalloc names the C library's allocator (ttb_ops_tests links
// only the C library's malloc, or a sanitizer's).
#include <gtest/gtest.h>

#include "ops/allocator.h"

namespace ttb::ops {
namespace {

TEST(Allocator, AProgramWithoutJemallocNamesTheCLibrarys) {
  EXPECT_EQ(allocator_name(), "libc");
}

}  // namespace
}  // namespace ttb::ops
