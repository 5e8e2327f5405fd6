#include "config/secret.h"

#include <algorithm>
#include <ostream>

namespace ttb::config {

bool Secret::equals(std::string_view other) const {
  // Touch every byte of the longer value so the time does not tell where they differ.
  const std::size_t n = std::max(value_.size(), other.size());
  unsigned char diff = value_.size() == other.size() ? 0 : 1;
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char a = i < value_.size() ? static_cast<unsigned char>(value_[i]) : 0;
    const unsigned char b = i < other.size() ? static_cast<unsigned char>(other[i]) : 0;
    diff |= static_cast<unsigned char>(a ^ b);
  }
  return diff == 0;
}

std::ostream& operator<<(std::ostream& out, const Secret&) {
  return out << "<redacted>";
}

}  // namespace ttb::config
