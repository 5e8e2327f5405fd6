#pragma once
// The threads that run route handlers for the inbound server. Handlers are synchronous and may
// block (a store commit, a plugin call), so they never run on an I/O thread; the queue in front
// of them is bounded so that a burst is refused (503) instead of growing memory without end.
// Workers start when the load first needs them, up to `threads`: an idle daemon with
// server.threads of 160 holds a handful of threads, not 160 stacks (docs/performance.md, "Idle
// memory"). A worker once started stays until stop().

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace ttb::net {

class WorkerPool {
 public:
  // `threads` workers at most; `kFirstWorkers` of them start at once.
  WorkerPool(unsigned threads, std::size_t max_queued);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`; false when `max_queued` tasks already wait for a busy worker, or the pool is
  // stopping (the task is dropped). A task that an idle worker, or a worker started for it, will
  // take at once never counts.
  bool try_post(std::function<void()> task);
  // Workers started so far.
  std::size_t started() const;

  static constexpr unsigned kFirstWorkers = 4;
  // Drops the tasks not yet started and waits for the running ones to return.
  void stop();

 private:
  void start_worker();  // under mutex_
  void run();

  unsigned max_threads_;
  std::size_t max_queued_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  std::size_t idle_ = 0;  // workers waiting for a task, or started and not yet waiting
  bool stopping_ = false;
  std::vector<std::thread> threads_;  // grows under mutex_ until stopping_
};

}  // namespace ttb::net
