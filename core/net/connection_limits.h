#pragma once
// Counts the inbound server's open connections, in all and per client address, so that one
// client (or a flood) cannot take every connection the daemon is willing to hold.

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace ttb::net {

class ConnectionLimits {
 public:
  // 0 means no limit.
  ConnectionLimits(std::size_t max_total, std::size_t max_per_address);

  // Counts a new connection from `address`; false (and nothing counted) when a cap is reached.
  bool try_open(const std::string& address);
  void close(const std::string& address);

 private:
  std::size_t max_total_;
  std::size_t max_per_address_;
  std::mutex mutex_;
  std::size_t total_ = 0;
  std::unordered_map<std::string, std::size_t> per_address_;
};

}  // namespace ttb::net
