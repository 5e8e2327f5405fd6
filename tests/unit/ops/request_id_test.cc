// Request ids tie a caller's request to our log lines, so they must never repeat within a run.
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "ops/request_id.h"

namespace ttb::ops {
namespace {

TEST(RequestId, IsSixteenLowercaseHexCharacters) {
  const std::string id = next_request_id();
  ASSERT_EQ(id.size(), 16u) << id;
  for (char c : id) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << id;
}

TEST(RequestId, UniqueAcrossThreads) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 5000;
  std::vector<std::vector<std::string>> made(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&made, t] {
      made[t].reserve(kPerThread);
      for (int i = 0; i < kPerThread; ++i) made[t].push_back(next_request_id());
    });
  }
  for (auto& thread : threads) thread.join();

  std::set<std::string> all;
  for (const auto& ids : made) all.insert(ids.begin(), ids.end());
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kThreads * kPerThread));
}

}  // namespace
}  // namespace ttb::ops
