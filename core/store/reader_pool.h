#pragma once
// A store's reading connections, lent one read at a time (internal to ttb_store). A slow read
// (the queue gauges' scan, once a second; a console listing) then holds up only its own
// connection, never the short reads on the request path (a webhook's sighting lookup). With one
// shared connection that scan held every webhook up to 50 ms once a second
// (docs/performance.md, "One slow read held up every webhook").
//
// The first connection is opened with the store; more are opened on demand, up to
// `max_connections`, and kept. `Connection` is SqliteDb or PgConnection.

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace ttb::store {

template <class Connection>
class ReaderPool {
 public:
  using Open = std::function<std::unique_ptr<Connection>()>;  // throws when it cannot connect

  ReaderPool(Open open, int max_connections)
      : open_(std::move(open)), max_connections_(max_connections < 1 ? 1 : max_connections) {
    connections_.push_back(open_());
    idle_.push_back(connections_.back().get());
  }
  ReaderPool(const ReaderPool&) = delete;
  ReaderPool& operator=(const ReaderPool&) = delete;

  // One connection for one read; it goes back to the pool when the lease ends.
  class Lease {
   public:
    Lease(ReaderPool& pool, Connection& connection) : pool_(&pool), connection_(&connection) {}
    Lease(Lease&& other) noexcept
        : pool_(std::exchange(other.pool_, nullptr)), connection_(other.connection_) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (pool_ != nullptr) pool_->give_back(*connection_);
    }
    Connection& connection() const { return *connection_; }

   private:
    ReaderPool* pool_;
    Connection* connection_;
  };

  // An idle connection; else a new one while fewer than `max_connections` are open (what `open`
  // throws, it throws); else waits for one to come back.
  Lease acquire() {
    std::unique_lock lock(mutex_);
    for (;;) {
      if (!idle_.empty()) {
        Connection* connection = idle_.back();
        idle_.pop_back();
        return Lease(*this, *connection);
      }
      if (static_cast<int>(connections_.size()) + opening_ < max_connections_) break;
      returned_.wait(lock);
    }
    // Opened outside the lock, so that the other reads go on meanwhile.
    ++opening_;
    lock.unlock();
    std::unique_ptr<Connection> fresh;
    try {
      fresh = open_();
    } catch (...) {
      lock.lock();
      --opening_;
      returned_.notify_one();  // a waiting read may try to open one itself
      throw;
    }
    lock.lock();
    --opening_;
    Connection& connection = *fresh;
    connections_.push_back(std::move(fresh));
    return Lease(*this, connection);
  }

  int open_connections() const {
    std::lock_guard lock(mutex_);
    return static_cast<int>(connections_.size());
  }

 private:
  void give_back(Connection& connection) {
    {
      std::lock_guard lock(mutex_);
      idle_.push_back(&connection);
    }
    returned_.notify_one();
  }

  const Open open_;
  const int max_connections_;
  mutable std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Connection>> connections_;
  std::vector<Connection*> idle_;
  int opening_ = 0;  // connections being opened outside the lock
};

}  // namespace ttb::store
