#pragma once
// The kept-alive connections of an outbound client, waiting for their next request: at most
// `max_per_host` per scheme://host:port and `max_total` in all, each for at most `max_idle`.
// Both clients keep theirs here (http_client.cc, async_http_client.cc); the caller checks a taken
// connection is still usable and brings its own locking. Internal to net/.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ttb::net {

template <typename Connection>
class IdlePool {
 public:
  using Clock = std::chrono::steady_clock;

  IdlePool(std::size_t max_per_host, std::size_t max_total, Clock::duration max_idle)
      : max_per_host_(max_per_host), max_total_(max_total), max_idle_(max_idle) {}

  // The newest idle connection of `key`, or nullptr. One that has waited longer than max_idle is
  // not handed out: its server may be closing it just as a request is written to it (servers
  // close idle connections after 5 s to a few minutes), which fails the request. Nor are the
  // host's older ones, which have waited longer still.
  std::unique_ptr<Connection> take(const std::string& key, Clock::time_point now = Clock::now()) {
    auto it = hosts_.find(key);
    if (it == hosts_.end()) return nullptr;
    auto& connections = it->second.connections;
    Idle taken = std::move(connections.back());
    connections.pop_back();
    --count_;
    const bool stale = now - taken.since > max_idle_;
    if (stale) {
      count_ -= connections.size();
      connections.clear();
    }
    if (connections.empty()) hosts_.erase(it);
    if (stale) return nullptr;
    return std::move(taken.connection);
  }

  // Keeps `connection` for `key`'s next request, unless that host has max_per_host waiting. A
  // full pool makes room: the oldest connection of the host given one back longest ago goes,
  // whether its server still holds it or not (a host asked once is never asked again). A host
  // asked again and again keeps its own.
  void give_back(const std::string& key, std::unique_ptr<Connection> connection,
                 Clock::time_point now = Clock::now()) {
    if (max_total_ == 0) return;
    auto it = hosts_.find(key);
    if (it != hosts_.end() && it->second.connections.size() >= max_per_host_) return;
    if (count_ >= max_total_) evict_one();
    Host& host = hosts_[key];
    host.connections.push_back(Idle{std::move(connection), now});
    host.last_given = ++given_back_;
    ++count_;
  }

  void clear() {
    hosts_.clear();
    count_ = 0;
  }

 private:
  struct Idle {
    std::unique_ptr<Connection> connection;
    Clock::time_point since;  // given back then
  };
  struct Host {
    std::vector<Idle> connections;  // oldest first; never empty
    std::uint64_t last_given = 0;   // the give_back that came last
  };

  void evict_one() {
    auto oldest = hosts_.begin();
    for (auto it = hosts_.begin(); it != hosts_.end(); ++it) {
      if (it->second.last_given < oldest->second.last_given) oldest = it;
    }
    auto& connections = oldest->second.connections;
    connections.erase(connections.begin());
    --count_;
    if (connections.empty()) hosts_.erase(oldest);
  }

  std::size_t max_per_host_;
  std::size_t max_total_;
  Clock::duration max_idle_;
  std::map<std::string, Host> hosts_;
  std::size_t count_ = 0;         // connections in hosts_
  std::uint64_t given_back_ = 0;  // give_backs so far
};

}  // namespace ttb::net
