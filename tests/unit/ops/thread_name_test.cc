// The daemon names its threads so that top -H, ps -L, perf and gdb tell them apart: the kernel
// must see the name, and a name past its 15 characters is cut, never refused.
#include <pthread.h>

#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "ops/thread_name.h"

namespace ttb::ops {
namespace {

std::string name_seen_by_the_kernel() {
  char name[16] = {};
  EXPECT_EQ(pthread_getname_np(pthread_self(), name, sizeof name), 0);
  return name;
}

TEST(ThreadName, TheKernelSeesTheName) {
  std::string seen;
  std::thread([&] {
    name_this_thread("ttb-writer");
    seen = name_seen_by_the_kernel();
  }).join();
  EXPECT_EQ(seen, "ttb-writer");
}

TEST(ThreadName, ANameOverFifteenCharactersIsCutThere) {
  std::string seen;
  std::thread([&] {
    name_this_thread("ttb-a-name-longer-than-fifteen");
    seen = name_seen_by_the_kernel();
  }).join();
  EXPECT_EQ(seen, "ttb-a-name-long");
}

}  // namespace
}  // namespace ttb::ops
