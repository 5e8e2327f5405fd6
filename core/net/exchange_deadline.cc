#include "net/exchange_deadline.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <system_error>
#include <utility>

#include "ops/thread_name.h"

namespace ttb::net {
namespace {

// How late past its deadline an exchange may be cut off: timeouts are seconds long.
constexpr std::chrono::milliseconds kTick{100};

}  // namespace

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
  std::unique_lock lock(mutex_);
  if (!thread_.joinable()) {
    try {
      thread_ = std::thread([this] { run(); });
    } catch (const std::system_error&) {
      return {};  // no thread to be had: the caller does not send the request
    }
  }
  // Close-on-exec like every descriptor of the daemon: a plugin child started meanwhile must
  // not inherit a copy of a socket.
  const int watched = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (watched < 0) return {};  // out of descriptors: the same
  const std::uint64_t id = next_id_++;
  const bool wake = entries_.empty();  // else the thread is already checking, every kTick
  entries_.emplace(id, Entry{watched, deadline, false});
  lock.unlock();
  if (wake) changed_.notify_one();
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
  ops::name_this_thread("ttb-http-limit");
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (entries_.empty()) {
      changed_.wait(lock);
      continue;
    }
    // A check every kTick while exchanges are out, not a wake-up per deadline: a busy client
    // would otherwise wake this thread once for each of its requests.
    changed_.wait_for(lock, kTick);
    const auto now = Clock::now();
    for (auto& [id, entry] : entries_) {
      if (!entry.fired && entry.deadline <= now) {
        ::shutdown(entry.fd, SHUT_RDWR);
        entry.fired = true;
      }
    }
  }
}

}  // namespace ttb::net
