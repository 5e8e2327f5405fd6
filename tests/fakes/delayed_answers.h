#pragma once
// Answers that a fake holds back (an injected "slow" fault) while its routes answer on the
// server's I/O threads (net::Router::add_async): each held answer waits on a thread of its own,
// so no I/O thread ever sleeps and the other requests go on meanwhile. The threads are joined
// when this goes away, so declare it after everything the answers use.

#include <chrono>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace ttb::fakes {

class DelayedAnswers {
 public:
  DelayedAnswers() = default;
  DelayedAnswers(const DelayedAnswers&) = delete;
  DelayedAnswers& operator=(const DelayedAnswers&) = delete;

  // Runs `answer` once `pause` has passed, on a thread of its own.
  void after(std::chrono::milliseconds pause, std::function<void()> answer) {
    std::lock_guard lock(mutex_);
    threads_.emplace_back([pause, answer = std::move(answer)] {
      std::this_thread::sleep_for(pause);
      answer();
    });
  }

 private:
  std::mutex mutex_;
  std::vector<std::jthread> threads_;  // joined on destruction
};

}  // namespace ttb::fakes
