#include "net/worker_pool.h"

#include <algorithm>
#include <system_error>

#include "ops/thread_name.h"

namespace ttb::net {

WorkerPool::WorkerPool(unsigned threads, std::size_t max_queued)
    : max_threads_(std::max(1u, threads)), max_queued_(max_queued) {
  threads_.reserve(max_threads_);
  std::lock_guard lock(mutex_);
  for (unsigned i = 0; i < std::min(max_threads_, kFirstWorkers); ++i) start_worker();
}

WorkerPool::~WorkerPool() {
  stop();
}

bool WorkerPool::try_post(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    // Every idle worker already has a queued task coming to it: start one more for this task
    // while the pool may grow, rather than make it wait.
    bool grew = false;
    if (queue_.size() >= idle_ && threads_.size() < max_threads_) {
      try {
        start_worker();
        grew = true;
      } catch (const std::system_error&) {
        // No thread to be had now (a resource limit): the task waits for a busy worker, within
        // the bound of the queue like any other. Queued past it, a pool that can never grow
        // would hold every request it is given.
      }
    }
    if (!grew && queue_.size() >= max_queued_ + idle_) return false;
    queue_.push_back(std::move(task));
  }
  ready_.notify_one();
  return true;
}

std::size_t WorkerPool::started() const {
  std::lock_guard lock(mutex_);
  return threads_.size();
}

void WorkerPool::stop() {
  std::deque<std::function<void()>> dropped;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    dropped.swap(queue_);
  }
  ready_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  // `dropped` goes out of scope here, outside the lock: a task may own a connection whose
  // destructor takes other locks.
}

void WorkerPool::start_worker() {
  // Counted idle from here, not from when the thread first waits, so that a task queued for it
  // meanwhile counts as taken at once.
  ++idle_;
  try {
    threads_.emplace_back([this] {
      ops::name_this_thread("ttb-http");
      run();
    });
  } catch (...) {
    --idle_;
    throw;
  }
}

void WorkerPool::run() {
  bool counted_idle = true;
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      if (!counted_idle) ++idle_;
      counted_idle = false;
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      --idle_;
      if (stopping_) return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

}  // namespace ttb::net
