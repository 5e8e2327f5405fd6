#pragma once
// The kept-alive connections of an outbound client, waiting for their next request: at most
// `max_per_host` per scheme://host:port and `max_total` in all. Both clients keep theirs here
// (http_client.cc, async_http_client.cc); the caller checks a taken connection is still usable
// and brings its own locking. Internal to net/.

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
  IdlePool(std::size_t max_per_host, std::size_t max_total)
      : max_per_host_(max_per_host), max_total_(max_total) {}

  // The newest idle connection of `key`, or nullptr.
  std::unique_ptr<Connection> take(const std::string& key) {
    auto it = hosts_.find(key);
    if (it == hosts_.end()) return nullptr;
    auto& connections = it->second.connections;
    std::unique_ptr<Connection> taken = std::move(connections.back());
    connections.pop_back();
    --count_;
    if (connections.empty()) hosts_.erase(it);
    return taken;
  }

  // Keeps `connection` for `key`'s next request, unless that host has max_per_host waiting. A
  // full pool makes room: the oldest connection of the host given one back longest ago goes,
  // whether its server still holds it or not (a host asked once is never asked again). A host
  // asked again and again keeps its own.
  void give_back(const std::string& key, std::unique_ptr<Connection> connection) {
    if (max_total_ == 0) return;
    auto it = hosts_.find(key);
    if (it != hosts_.end() && it->second.connections.size() >= max_per_host_) return;
    if (count_ >= max_total_) evict_one();
    Host& host = hosts_[key];
    host.connections.push_back(std::move(connection));
    host.last_given = ++given_back_;
    ++count_;
  }

  void clear() {
    hosts_.clear();
    count_ = 0;
  }

 private:
  struct Host {
    std::vector<std::unique_ptr<Connection>> connections;  // oldest first; never empty
    std::uint64_t last_given = 0;                          // the give_back that came last
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
  std::map<std::string, Host> hosts_;
  std::size_t count_ = 0;         // connections in hosts_
  std::uint64_t given_back_ = 0;  // give_backs so far
};

}  // namespace ttb::net
