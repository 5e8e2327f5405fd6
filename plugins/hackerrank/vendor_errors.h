#pragma once
// How HackerRank's HTTP answers become ABI statuses. 429 carries a retry time: Retry-After, else
// the rate-limit reset header, else one second (HackerRank allows 10 requests per second).

#include <cstdint>
#include <string_view>

#include "ttbridge/plugin.hpp"

namespace hackerrank {

inline constexpr std::uint32_t kDefaultRetryAfterMs = 1000;
inline constexpr std::uint32_t kMaxRetryAfterMs = 3600 * 1000;

// When to retry after a 429. `now_ms` is the host's clock (epoch ms), for a reset header given
// as an epoch time.
std::uint32_t rate_limit_retry_ms(const ttb::sdk::HttpResponse& response, std::int64_t now_ms);

// The error for an answer that is not 2xx (or did not arrive). `action` says what we were
// doing, in words ("list the tests"), for the operator. The detail never carries a credential
// or the vendor's body (which may hold candidate data).
ttb::sdk::Error vendor_error(const ttb::sdk::HttpResponse& response, std::string_view action,
                             std::int64_t now_ms);

// True for a 2xx answer.
inline bool succeeded(const ttb::sdk::HttpResponse& r) {
  return r.status == TTB_STATUS_OK && r.http_status >= 200 && r.http_status < 300;
}

}  // namespace hackerrank
