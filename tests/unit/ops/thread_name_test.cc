// The daemon names its threads so that top -H, ps -L, perf and gdb tell them apart: the kernel
// must see the name, and a name past its 15 characters is cut, never refused.
#include <pthread.h>

#include <string>
#include <string_view>
#include <thread>

#include <gtest/gtest.h>

#include "ops/thread_name.h"

namespace ttb::ops {
namespace {

// The name the kernel holds for a new thread that named itself `name`.
std::string kernel_name_after(std::string_view name) {
  std::string seen;
  std::thread([&] {
    name_this_thread(name);
    char held[16] = {};
    EXPECT_EQ(pthread_getname_np(pthread_self(), held, sizeof held), 0);
    seen = held;
  }).join();
  return seen;
}

TEST(ThreadName, TheKernelSeesTheName) {
  EXPECT_EQ(kernel_name_after("ttb-writer"), "ttb-writer");
}

TEST(ThreadName, ANameOverFifteenCharactersIsCutThere) {
  EXPECT_EQ(kernel_name_after("ttb-a-name-longer-than-fifteen"), "ttb-a-name-long");
}

// A pool's thread is named by its first task, and keeps that name: the pool's threads have one.
TEST(ThreadName, APoolThreadIsNamedByItsFirstTaskOnly) {
  std::string first, second;
  std::thread([&] {
    char held[16] = {};
    name_pool_thread("ttb-pool");
    EXPECT_EQ(pthread_getname_np(pthread_self(), held, sizeof held), 0);
    first = held;
    name_pool_thread("ttb-other");
    EXPECT_EQ(pthread_getname_np(pthread_self(), held, sizeof held), 0);
    second = held;
  }).join();
  EXPECT_EQ(first, "ttb-pool");
  EXPECT_EQ(second, "ttb-pool");
}

}  // namespace
}  // namespace ttb::ops
