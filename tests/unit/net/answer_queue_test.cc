// Answers that async handlers give from other threads reach the I/O threads in batches: the
// answers pushed while the I/O threads are busy ride one drain, each runs once on an I/O thread,
// none is lost when a push races a drain, and one that throws takes no other with it.
#include "net/answer_queue.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <new>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "loopback.h"

namespace ttb::net {
namespace {

namespace asio = boost::asio;
using testing::eventually;
using testing::Gate;

// An io_context run by `threads` threads until the fixture goes away.
class IoThreads {
 public:
  explicit IoThreads(int threads) {
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { io_.run(); });
  }
  ~IoThreads() {
    work_.reset();
    for (auto& thread : threads_) thread.join();
  }
  // A queue whose drains run on these threads.
  std::shared_ptr<AnswerQueue> answer_queue() {
    auto answers = std::make_shared<AnswerQueue>();
    answers->bind(io_.get_executor());
    return answers;
  }
  // Keeps one of the threads busy until `gate` opens (or its wait gives up).
  void hold_one(Gate& gate) {
    asio::post(io_, [&gate] { gate.wait(); });
  }
  std::set<std::thread::id> ids() const {
    std::set<std::thread::id> out;
    for (const auto& thread : threads_) out.insert(thread.get_id());
    return out;
  }

 private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{io_.get_executor()};
  std::vector<std::thread> threads_;
};

TEST(AnswerQueue, AnswersGivenWhileTheIoThreadIsBusyArriveInOneDrain) {
  Gate release;  // outlives the I/O thread that waits on it
  IoThreads io(1);
  auto answers = io.answer_queue();
  io.hold_one(release);

  std::mutex mutex;
  std::vector<std::thread::id> ran_on;
  for (int i = 0; i < 100; ++i) {
    answers->push([&] {
      std::lock_guard lock(mutex);
      ran_on.push_back(std::this_thread::get_id());
    });
  }
  release.open();
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(mutex);
    return ran_on.size() == 100;
  }));
  EXPECT_EQ(answers->drains_posted(), 1u);
  const auto io_thread = *io.ids().begin();
  for (const auto& id : ran_on) EXPECT_EQ(id, io_thread);
}

TEST(AnswerQueue, AnAnswerThatThrowsIsDroppedAndTheOthersOfItsBatchStillGo) {
  Gate release;  // outlives the I/O thread that waits on it
  IoThreads io(1);
  auto answers = io.answer_queue();
  io.hold_one(release);
  std::atomic<int> delivered{0};
  answers->push([&] { delivered.fetch_add(1); });
  answers->push([] { throw std::bad_alloc(); });
  answers->push([&] { delivered.fetch_add(1); });
  release.open();
  ASSERT_TRUE(eventually([&] { return delivered.load() == 2; }));

  // The I/O thread lives on: a later answer still arrives.
  answers->push([&] { delivered.fetch_add(1); });
  EXPECT_TRUE(eventually([&] { return delivered.load() == 3; }));
}

TEST(AnswerQueue, EveryAnswerRunsOnceWhenPushesRaceTheDrains) {
  IoThreads io(2);
  auto answers = io.answer_queue();
  constexpr std::size_t kThreads = 4;
  constexpr std::size_t kPerThread = 10000;
  std::vector<std::atomic<int>> runs(kThreads * kPerThread);
  std::vector<std::thread> givers;
  givers.reserve(kThreads);
  for (std::size_t t = 0; t < kThreads; ++t) {
    givers.emplace_back([&, t] {
      for (std::size_t i = 0; i < kPerThread; ++i) {
        answers->push([&runs, slot = t * kPerThread + i] { runs[slot].fetch_add(1); });
      }
    });
  }
  for (auto& giver : givers) giver.join();
  ASSERT_TRUE(eventually([&] {
    for (const auto& count : runs) {
      if (count.load() == 0) return false;
    }
    return true;
  }));
  for (std::size_t slot = 0; slot < runs.size(); ++slot) {
    ASSERT_EQ(runs[slot].load(), 1) << "answer " << slot;
  }
}

}  // namespace
}  // namespace ttb::net
