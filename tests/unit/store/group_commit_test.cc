// Group commit: concurrent writers share one transaction, and every one of them is durable.

#include <latch>
#include <thread>

#include "store_fixture.h"

namespace ttb::store::testing {
namespace {

class GroupCommitTest : public StoreFixture {};

TEST_F(GroupCommitTest, WritersQueuedDuringACommitShareTheNextOne) {
  // Hold the first commit until 40 more writes are waiting, then let everything through.
  std::atomic<bool> held{false};
  std::latch release(1);
  StoreOptions options;
  options.before_commit = [&]() -> std::optional<std::string> {
    if (!held.exchange(true)) release.wait();
    return std::nullopt;
  };
  auto store = open(std::move(options));
  const int kWriters = 41;
  std::vector<std::thread> threads;
  std::vector<Accepted::Outcome> outcomes(kWriters);
  threads.emplace_back([&] { outcomes[0] = store->accept_order(order("pr-0", "ev-0"))->outcome; });
  // Wait (with a deadline) for the first write to be inside its commit.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!held && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  ASSERT_TRUE(held);
  for (int i = 1; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      outcomes[i] =
          store->accept_order(order("pr-" + std::to_string(i), "ev-" + std::to_string(i)))->outcome;
    });
  }
  while (store->stats().pending_writes < kWriters - 1 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  ASSERT_EQ(store->stats().pending_writes, static_cast<std::uint64_t>(kWriters - 1));
  release.count_down();
  for (auto& t : threads) t.join();

  for (auto o : outcomes) EXPECT_EQ(o, Accepted::Outcome::created);
  const auto stats = store->stats();
  EXPECT_EQ(stats.writes, static_cast<std::uint64_t>(kWriters));
  EXPECT_EQ(stats.transactions, 2u);  // the held one, and one for the 40 that queued behind it
  EXPECT_EQ(store->list_orders({"", "", 1000})->size(), static_cast<size_t>(kWriters));
}

// Not only SQLite's group commit: every store takes concurrent writers.
class ConcurrentAcceptTest : public StoreContractFixture {};

TEST_P(ConcurrentAcceptTest, ManyThreadsAcceptingAllCommitAndSurviveReopen) {
  const int kThreads = 8, kPerThread = 50;
  {
    auto store = open();
    std::vector<std::thread> threads;
    std::atomic<int> created{0};
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          const std::string id = std::to_string(t) + "-" + std::to_string(i);
          // Each order arrives twice: the second is a duplicate, never a second order.
          if (store->accept_order(order("pr-" + id, "ev-" + id))->outcome ==
              Accepted::Outcome::created) {
            ++created;
          }
          EXPECT_EQ(store->accept_order(order("pr-" + id, "ev-" + id))->outcome,
                    Accepted::Outcome::duplicate);
        }
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(created.load(), kThreads * kPerThread);
    const auto stats = store->stats();
    EXPECT_EQ(stats.writes, static_cast<std::uint64_t>(2 * kThreads * kPerThread));
    EXPECT_LE(stats.transactions, stats.writes);
  }
  auto store = open();
  EXPECT_EQ(store->list_orders({"", "", 10000})->size(),
            static_cast<size_t>(kThreads * kPerThread));
  EXPECT_EQ(store->queue_stats()->queued, kThreads * kPerThread);
}

TTB_FOR_EVERY_STORE(ConcurrentAcceptTest);

}  // namespace
}  // namespace ttb::store::testing
