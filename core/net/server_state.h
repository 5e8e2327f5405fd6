#pragma once
// What the listener and its connections share: the options, the router, the worker pool, the
// connection caps, the queue of async answers, the count of requests in flight, and the open
// connections (so a stop can close them). Internal to core/net.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "net/answer_queue.h"
#include "net/connection_limits.h"
#include "net/http_server.h"
#include "net/worker_pool.h"

namespace ttb::net {

// A connection as a stop sees it. Both calls may come from any thread.
class ConnectionControl {
 public:
  virtual ~ConnectionControl() = default;
  virtual void close_if_idle() = 0;  // no request started: close now
  virtual void close_now() = 0;
};

struct ServerState {
  ServerState(const ServerOptions& o, std::shared_ptr<const Router> r, RequestObserver obs)
      : options(o),
        router(std::move(r)),
        observer(std::move(obs)),
        workers(o.threads, o.max_queued),
        limits(o.max_connections, o.max_connections_per_ip) {}

  const ServerOptions options;
  const std::shared_ptr<const Router> router;
  const RequestObserver observer;
  WorkerPool workers;
  ConnectionLimits limits;
  const std::shared_ptr<AnswerQueue> answers = std::make_shared<AnswerQueue>();
  std::atomic<int> in_flight{0};  // requests from their first byte until their answer is written
  std::atomic<bool> stopping{false};

  // Async handlers that returned without answering yet. A stop waits for them as it waits for a
  // running handler: their answer may use what the caller destroys next.
  void answer_awaited() {
    std::lock_guard lock(answers_mutex_);
    ++answers_awaited_;
  }
  void answer_given() {
    std::lock_guard lock(answers_mutex_);
    if (--answers_awaited_ == 0) answers_cv_.notify_all();
  }
  void wait_for_answers() {
    std::unique_lock lock(answers_mutex_);
    answers_cv_.wait(lock, [this] { return answers_awaited_ == 0; });
  }

  std::uint64_t add_connection(std::weak_ptr<ConnectionControl> connection) {
    std::lock_guard lock(connections_mutex_);
    connections_.emplace(++last_id_, std::move(connection));
    return last_id_;
  }
  void remove_connection(std::uint64_t id) {
    std::lock_guard lock(connections_mutex_);
    connections_.erase(id);
  }
  std::vector<std::shared_ptr<ConnectionControl>> open_connections() {
    std::lock_guard lock(connections_mutex_);
    std::vector<std::shared_ptr<ConnectionControl>> out;
    out.reserve(connections_.size());
    for (auto& [id, weak] : connections_) {
      if (auto connection = weak.lock()) out.push_back(std::move(connection));
    }
    return out;
  }

 private:
  std::mutex answers_mutex_;
  std::condition_variable answers_cv_;
  int answers_awaited_ = 0;

  std::mutex connections_mutex_;
  std::uint64_t last_id_ = 0;
  std::unordered_map<std::uint64_t, std::weak_ptr<ConnectionControl>> connections_;
};

}  // namespace ttb::net
