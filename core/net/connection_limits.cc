#include "net/connection_limits.h"

namespace ttb::net {

ConnectionLimits::ConnectionLimits(std::size_t max_total, std::size_t max_per_address)
    : max_total_(max_total), max_per_address_(max_per_address) {}

bool ConnectionLimits::try_open(const std::string& address) {
  std::lock_guard lock(mutex_);
  if (max_total_ != 0 && total_ >= max_total_) return false;
  std::size_t& mine = per_address_[address];
  if (max_per_address_ != 0 && mine >= max_per_address_) return false;
  ++mine;
  ++total_;
  return true;
}

void ConnectionLimits::close(const std::string& address) {
  std::lock_guard lock(mutex_);
  auto it = per_address_.find(address);
  if (it == per_address_.end()) return;
  if (--it->second == 0) per_address_.erase(it);
  --total_;
}

}  // namespace ttb::net
