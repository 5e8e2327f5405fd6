// Group commit: concurrent writers share one transaction, and every one of them is durable.

#include <latch>
#include <mutex>
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

// Writes run straight into the batch's transaction; the first one that fails rolls it back, and
// the batch runs again with a savepoint per write. What each caller hears, what is stored and
// what the jobs listener hears are as if each write had run alone.
TEST_F(GroupCommitTest, AFailingWriteIsUndoneAloneAndTheOthersOfItsBatchCommitOnce) {
  std::atomic<bool> armed{false};
  std::atomic<bool> held{false};
  std::latch release(1);
  StoreOptions options;
  options.before_commit = [&]() -> std::optional<std::string> {
    if (armed && !held.exchange(true)) release.wait();
    return std::nullopt;
  };
  auto store = open(std::move(options));
  std::mutex heard_mutex;
  int invites_heard = 0;
  store->set_jobs_listener([&](const JobsDue& due) {
    std::lock_guard lock(heard_mutex);
    invites_heard += due.vendor_work.now;
  });
  ASSERT_TRUE(store->accept_order(order("pr-seen", "ev-seen")));  // changed by the partial write
  armed = true;  // the next commit waits until the batch behind it is queued
  std::vector<std::thread> threads;
  threads.emplace_back([&] { ASSERT_TRUE(store->accept_order(order("pr-0", "ev-0"))); });
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!held && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  ASSERT_TRUE(held);

  const int kFresh = 6;
  std::atomic<int> created{0};
  auto accept = [&](int i) {
    threads.emplace_back([&, i] {
      auto accepted =
          store->accept_order(order("pr-" + std::to_string(i), "ev-" + std::to_string(i)));
      if (accepted && accepted->outcome == Accepted::Outcome::created) ++created;
    });
  };
  auto wait_queued = [&](std::uint64_t n) {
    while (store->stats().pending_writes < n && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
    ASSERT_EQ(store->stats().pending_writes, n);
  };
  for (int i = 1; i <= kFresh / 2; ++i) accept(i);
  wait_queued(kFresh / 2);
  // Writes its order's new status, then fails on a job of an order that does not exist.
  Result<Committed> partial = Error{};
  threads.emplace_back([&] {
    ChangeSet cs;
    OrderChange ch = status_change("pr-seen", 1, "invited");
    ch.timeline.push_back({TimePoint{}, "vendor", "invited", ""});
    cs.orders.push_back(ch);
    cs.new_jobs.push_back(poll_job("no-such-order"));
    partial = store->commit(cs);
  });
  wait_queued(kFresh / 2 + 1);
  for (int i = kFresh / 2 + 1; i <= kFresh; ++i) accept(i);
  // A second failure in the same batch: it runs in its savepoint, with no second run of the batch.
  Result<void> moved = Error{};
  threads.emplace_back([&] { moved = store->finish_job({999999, 1}); });
  wait_queued(kFresh + 2);
  release.count_down();
  for (auto& t : threads) t.join();

  ASSERT_FALSE(partial);
  EXPECT_EQ(partial.error().code, Error::Code::invalid) << partial.error().message;
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().code, Error::Code::not_found) << moved.error().message;
  EXPECT_EQ(created.load(), kFresh);
  const auto stats = store->stats();
  EXPECT_EQ(stats.transactions, 3u);  // the first order, the held one, and the batch
  EXPECT_EQ(stats.rerun_batches, 1u);
  EXPECT_EQ(stats.failed_transactions, 0u);
  // Nothing of the failed write: the order keeps its status and its one timeline line.
  EXPECT_EQ(store->get_order("pr-seen")->status, "received");
  EXPECT_EQ(store->get_order("pr-seen")->version, 1);
  EXPECT_EQ(store->timeline("pr-seen")->size(), 1u);
  EXPECT_EQ(store->list_orders({"", "", 100})->size(), static_cast<size_t>(kFresh + 2));
  EXPECT_EQ(store->list_jobs({})->size(), static_cast<size_t>(kFresh + 2));
  // Each order's invitation heard once, though the batch's writes ran twice.
  std::lock_guard lock(heard_mutex);
  EXPECT_EQ(invites_heard, kFresh + 2);
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
