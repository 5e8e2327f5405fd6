#pragma once
// One deadline for a blocking client's exchange, from its TCP connection on, the TLS handshake
// included (http_client.cc). A blocking socket has no deadline of its own, and a timeout per
// read would not be one either: a server that sends a byte just before each runs out would hold
// the caller as long as it liked (a result push, for a 1 MiB answer at a byte every 9 s: months).
// The watch shuts the socket down within a tenth of a second after the deadline passes, which
// ends whatever read or write is blocked on it; the caller then reports a timeout. Internal to
// net/.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>

namespace ttb::net {

class ExchangeDeadlines {
 public:
  using Clock = std::chrono::steady_clock;

  ExchangeDeadlines() = default;
  ExchangeDeadlines(const ExchangeDeadlines&) = delete;
  ExchangeDeadlines& operator=(const ExchangeDeadlines&) = delete;
  ~ExchangeDeadlines();

  // The watch over one socket, from arm() until disarm() or destruction.
  class Watch {
   public:
    Watch() = default;
    Watch(Watch&& other) noexcept;
    Watch& operator=(Watch&& other) noexcept;
    ~Watch() { disarm(); }
    // Stops watching; true when the deadline had passed and the socket was shut down (whatever
    // the exchange read after that is not an answer).
    bool disarm();
    explicit operator bool() const { return owner_ != nullptr; }  // watching a socket

   private:
    friend class ExchangeDeadlines;
    Watch(ExchangeDeadlines* owner, std::uint64_t id) : owner_(owner), id_(id) {}
    ExchangeDeadlines* owner_ = nullptr;
    std::uint64_t id_ = 0;
  };

  // Watches the socket `fd` until `deadline`. The watch holds a duplicate of the descriptor, so
  // the socket it shuts down is this one even when its owner closes `fd` first and the number is
  // reused. Starts the watching thread ("ttb-http-limit") on first use. An empty watch when no
  // thread or descriptor is to be had (the caller then does not send the request).
  Watch arm(int fd, Clock::time_point deadline);

 private:
  struct Entry {
    int fd = -1;  // our duplicate
    Clock::time_point deadline;
    bool fired = false;
  };

  bool disarm(std::uint64_t id);
  void run();

  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::uint64_t, Entry> entries_;
  std::uint64_t next_id_ = 1;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ttb::net
