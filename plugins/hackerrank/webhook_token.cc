#include "webhook_token.h"

#include <sys/random.h>

#include <cerrno>
#include <cstdint>

namespace ttb::hackerrank {

std::string new_webhook_token() {
  unsigned char bytes[kTokenBytes];
  std::size_t filled = 0;
  while (filled < sizeof bytes) {
    ssize_t n = getrandom(bytes + filled, sizeof bytes - filled, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw sdk::Error(TTB_STATUS_INTERNAL, "could not get random bytes for the webhook token");
    }
    filled += static_cast<std::size_t>(n);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * sizeof bytes);
  for (unsigned char b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0x0f]);
  }
  return out;
}

bool bearer_matches(const sdk::Headers& headers, std::string_view expected) {
  if (expected.empty()) return false;
  auto value = sdk::find_header(headers, "Authorization");
  if (!value) return false;
  std::string_view v(*value);
  constexpr std::string_view kScheme = "bearer ";
  if (v.size() <= kScheme.size() || !sdk::iequals(v.substr(0, kScheme.size()), kScheme))
    return false;
  v.remove_prefix(kScheme.size());
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  return sdk::constant_time_equals(v, expected);
}

}  // namespace ttb::hackerrank
