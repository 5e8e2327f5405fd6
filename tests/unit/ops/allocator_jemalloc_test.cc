// A program linked with jemalloc, as ttbridged is (TTB_JEMALLOC): jemalloc serves every malloc of
// the process, the C++ runtime's included, and the program names it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>

#include <gtest/gtest.h>
#include <jemalloc/jemalloc.h>

#include "ops/allocator.h"

namespace ttb::ops {
namespace {

// The bytes jemalloc has handed to the calling thread so far.
std::uint64_t allocated_by_jemalloc() {
  std::uint64_t bytes = 0;
  std::size_t length = sizeof(bytes);
  EXPECT_EQ(mallctl("thread.allocated", &bytes, &length, nullptr, 0), 0);
  return bytes;
}

// A write the optimiser must keep, so that it cannot leave out an allocation nothing reads.
void touch(void* memory) {
  *static_cast<volatile char*>(memory) = 1;
}

TEST(AllocatorJemalloc, TheProgramNamesJemallocAndItsVersion) {
  EXPECT_EQ(allocator_name().rfind("jemalloc 5.", 0), 0u) << allocator_name();
}

TEST(AllocatorJemalloc, JemallocServesMallocAndNew) {
  constexpr std::size_t kBytes = 1 << 20;
  const std::uint64_t before = allocated_by_jemalloc();
  void* from_malloc = std::malloc(kBytes);
  ASSERT_NE(from_malloc, nullptr);
  touch(from_malloc);
  EXPECT_GE(allocated_by_jemalloc() - before, kBytes);
  std::free(from_malloc);

  const std::uint64_t before_new = allocated_by_jemalloc();
  auto from_new = std::make_unique<char[]>(kBytes);
  touch(from_new.get());
  EXPECT_GE(allocated_by_jemalloc() - before_new, kBytes);
}

}  // namespace
}  // namespace ttb::ops
