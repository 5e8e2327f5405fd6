// WorkerPool: workers start as the load needs them, never past the limit, and the queue behind
// busy workers stays bounded.

#include "net/worker_pool.h"

#include <condition_variable>
#include <mutex>

#include <gtest/gtest.h>

namespace ttb::net {
namespace {

// Tasks that block until released, counting how many run at once.
class Gate {
 public:
  std::function<void()> task() {
    return [this] {
      std::unique_lock lock(mutex_);
      ++running_;
      changed_.notify_all();
      changed_.wait(lock, [this] { return open_; });
      --running_;
      ++done_;
      changed_.notify_all();
    };
  }
  void wait_running(int n) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return running_ == n; });
  }
  void wait_done(int n) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return done_ == n; });
  }
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int running_ = 0;
  int done_ = 0;
  bool open_ = false;
};

TEST(WorkerPool, StartsOnlyTheFirstWorkers) {
  WorkerPool pool(160, 16);
  EXPECT_EQ(pool.started(), WorkerPool::kFirstWorkers);
}

TEST(WorkerPool, GrowsToTheLimitWhenEveryWorkerIsBusy) {
  WorkerPool pool(12, 0);
  Gate gate;
  for (int i = 0; i < 12; ++i) ASSERT_TRUE(pool.try_post(gate.task())) << i;
  gate.wait_running(12);  // all twelve at once: a worker was started for each
  EXPECT_EQ(pool.started(), 12u);
  EXPECT_FALSE(pool.try_post(gate.task()));  // the limit, and no room to queue
  gate.open();
  gate.wait_done(12);
  EXPECT_EQ(pool.started(), 12u);
}

TEST(WorkerPool, QueuesBehindBusyWorkersUpToTheBound) {
  WorkerPool pool(2, 3);
  Gate gate;
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(pool.try_post(gate.task())) << i;
  gate.wait_running(2);
  EXPECT_EQ(pool.started(), 2u);
  EXPECT_FALSE(pool.try_post(gate.task()));
  gate.open();
  gate.wait_done(5);
}

TEST(WorkerPool, DoesNotGrowWhileAWorkerIsIdle) {
  WorkerPool pool(160, 16);
  Gate gate;
  gate.open();
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(pool.try_post(gate.task()));
    gate.wait_done(i + 1);  // one at a time: the first workers are enough
  }
  EXPECT_EQ(pool.started(), WorkerPool::kFirstWorkers);
}

}  // namespace
}  // namespace ttb::net
