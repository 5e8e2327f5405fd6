#pragma once
// Answers that async handlers give from threads of their own (the store's, once a commit is
// durable), handed to the I/O threads in batches. Posting each answer to its connection took the
// I/O threads' queue lock and mostly woke a sleeping I/O thread, once per webhook. Here the first
// answer of a batch posts one drain to the I/O threads, and the answers given until it runs ride
// along with it (docs/performance.md, "The store's answers in one wake-up"). Internal to
// core/net.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

namespace ttb::net {

class AnswerQueue : public std::enable_shared_from_this<AnswerQueue> {
 public:
  // Runs on an I/O thread, outside any connection's strand. What it throws is dropped with it.
  using Delivery = std::function<void()>;

  // The I/O threads' executor (the io_context's, not a strand). Set once, before the first push.
  void bind(boost::asio::any_io_executor io) { io_ = std::move(io); }

  // Any thread. `delivery` runs on an I/O thread after this call. Two drains may run at once on
  // two I/O threads, so deliveries are not ordered: each connection has one answer due at most.
  // Throws only if `delivery` cannot be queued (out of memory). When the drain cannot be posted,
  // the deliveries wait for the next push's.
  void push(Delivery delivery);

  // How many drains were posted so far: fewer than the pushes when answers came in batches.
  std::uint64_t drains_posted() const { return drains_posted_.load(std::memory_order_relaxed); }

 private:
  void drain();

  boost::asio::any_io_executor io_;
  std::mutex mutex_;
  std::vector<Delivery> pending_;
  bool drain_posted_ = false;  // a drain is posted and has not taken pending_ yet
  std::atomic<std::uint64_t> drains_posted_{0};
};

}  // namespace ttb::net
