#include "net/exchange_deadline.h"

#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

namespace ttb::net {

ExchangeDeadlines::~ExchangeDeadlines() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
  for (const auto& [id, entry] : entries_) ::close(entry.fd);
}

ExchangeDeadlines::Watch::Watch(Watch&& other) noexcept
    : owner_(std::exchange(other.owner_, nullptr)), id_(other.id_) {}

ExchangeDeadlines::Watch& ExchangeDeadlines::Watch::operator=(Watch&& other) noexcept {
  if (this != &other) {
    disarm();
    owner_ = std::exchange(other.owner_, nullptr);
    id_ = other.id_;
  }
  return *this;
}

bool ExchangeDeadlines::Watch::disarm() {
  if (owner_ == nullptr) return false;
  return std::exchange(owner_, nullptr)->disarm(id_);
}

ExchangeDeadlines::Watch ExchangeDeadlines::arm(int fd, Clock::time_point deadline) {
  const int watched = ::dup(fd);
  if (watched < 0) return {};  // out of descriptors: the per-operation timeouts still hold
  std::uint64_t id = 0;
  {
    std::lock_guard lock(mutex_);
    if (!thread_.joinable()) {
      thread_ = std::thread([this] { run(); });
      pthread_setname_np(thread_.native_handle(), "ttb-http-limit");
    }
    id = next_id_++;
    entries_.emplace(id, Entry{watched, deadline, false});
  }
  changed_.notify_one();
  return Watch(this, id);
}

bool ExchangeDeadlines::disarm(std::uint64_t id) {
  Entry entry;
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(id);
    if (it == entries_.end()) return false;
    entry = it->second;
    entries_.erase(it);
  }
  ::close(entry.fd);
  return entry.fired;
}

void ExchangeDeadlines::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    // A few exchanges at a time (one per blocking caller): a scan beats keeping an order.
    auto next = Clock::time_point::max();
    const auto now = Clock::now();
    for (auto& [id, entry] : entries_) {
      if (entry.fired) continue;
      if (entry.deadline <= now) {
        ::shutdown(entry.fd, SHUT_RDWR);
        entry.fired = true;
      } else {
        next = std::min(next, entry.deadline);
      }
    }
    if (next == Clock::time_point::max()) {
      changed_.wait(lock);
    } else {
      changed_.wait_until(lock, next);
    }
  }
}

}  // namespace ttb::net
