#include "ops/request_id.h"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <random>

namespace ttb::ops {

std::string next_request_id() {
  static const std::uint32_t prefix = std::random_device{}();
  static std::atomic<std::uint32_t> counter{0};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%08x%08x", prefix,
                counter.fetch_add(1, std::memory_order_relaxed));
  return buf;
}

}  // namespace ttb::ops
