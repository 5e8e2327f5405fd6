#include "net/answer_queue.h"

#include <utility>

#include <boost/asio/post.hpp>

namespace ttb::net {

void AnswerQueue::push(Delivery delivery) {
  {
    std::lock_guard lock(mutex_);
    pending_.push_back(std::move(delivery));
    if (drain_posted_) return;
    drain_posted_ = true;
  }
  // Outside the lock: waking an I/O thread is the slow part, and pushes keep coming meanwhile.
  try {
    boost::asio::post(io_, [self = shared_from_this()] { self->drain(); });
    drains_posted_.fetch_add(1, std::memory_order_relaxed);
  } catch (...) {
    // Out of memory. What is pending stays, for the drain the next push posts.
    std::lock_guard lock(mutex_);
    drain_posted_ = false;
  }
}

void AnswerQueue::drain() {
  std::vector<Delivery> batch;
  {
    std::lock_guard lock(mutex_);
    batch.swap(pending_);
    drain_posted_ = false;  // a push from here on posts the next drain
  }
  for (auto& delivery : batch) {
    try {
      delivery();
    } catch (...) {
      // Out of memory handing it to its strand: that answer is lost (its connection is closed
      // when the server stops), and the batch's others still go. Nothing may leave an I/O thread.
    }
  }
}

}  // namespace ttb::net
