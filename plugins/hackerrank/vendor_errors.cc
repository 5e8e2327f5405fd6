#include "vendor_errors.h"

#include <algorithm>
#include <optional>
#include <string>

namespace hackerrank {
namespace {

// Digits only, at most 12 of them; nullopt otherwise.
std::optional<std::int64_t> parse_count(const std::optional<std::string>& v) {
  if (!v || v->empty() || v->size() > 12) return std::nullopt;
  std::int64_t n = 0;
  for (char c : *v) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

std::uint32_t clamp_ms(std::int64_t ms) {
  if (ms <= 0) return kDefaultRetryAfterMs;
  return static_cast<std::uint32_t>(std::min<std::int64_t>(ms, kMaxRetryAfterMs));
}

}  // namespace

std::uint32_t rate_limit_retry_ms(const ttb::sdk::HttpResponse& response, std::int64_t now_ms) {
  if (auto s = parse_count(response.header("Retry-After"))) return clamp_ms(*s * 1000);
  // The reset header is either seconds until the window resets or an epoch time in seconds;
  // anything past 2001 (1e9 s) can only be the latter.
  for (const char* name : {"X-RateLimit-Reset", "RateLimit-Reset"}) {
    if (auto v = parse_count(response.header(name))) {
      if (*v >= 1'000'000'000) return clamp_ms(*v * 1000 - now_ms);
      return clamp_ms(*v * 1000);
    }
  }
  return kDefaultRetryAfterMs;
}

ttb::sdk::Error vendor_error(const ttb::sdk::HttpResponse& r, std::string_view action,
                             std::int64_t now_ms) {
  const std::string what(action);
  if (r.status != TTB_STATUS_OK) {
    return ttb::sdk::Error(
        r.status == TTB_STATUS_CANCELLED ? TTB_STATUS_CANCELLED : TTB_STATUS_VENDOR_UNAVAILABLE,
        "could not reach HackerRank to " + what + (r.error.empty() ? "" : ": " + r.error));
  }
  const std::string code = "HTTP " + std::to_string(r.http_status);
  switch (ttb::sdk::status_for_http(r)) {
    case TTB_STATUS_AUTH:
      return ttb::sdk::Error(
          TTB_STATUS_AUTH,
          "HackerRank refused the API key (" + code + ") when asked to " + what +
              "; check the provider's api_key (and that the account is not locked)");
    case TTB_STATUS_NOT_FOUND:
      return ttb::sdk::Error(
          TTB_STATUS_NOT_FOUND,
          "HackerRank does not know the test or candidate (" + code + ") when asked to " + what);
    case TTB_STATUS_RATE_LIMITED: {
      std::uint32_t ms = rate_limit_retry_ms(r, now_ms);
      return ttb::sdk::Error(TTB_STATUS_RATE_LIMITED,
                             "HackerRank's rate limit was hit (" + code + ") when asked to " +
                                 what + "; retry in " + std::to_string(ms) + " ms",
                             ms);
    }
    case TTB_STATUS_VENDOR_UNAVAILABLE:
      return ttb::sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
                             "HackerRank is unavailable (" + code + ") when asked to " + what);
    default:
      return ttb::sdk::Error(TTB_STATUS_INVALID,
                             "HackerRank rejected the request to " + what + " (" + code + ")");
  }
}

}  // namespace hackerrank
