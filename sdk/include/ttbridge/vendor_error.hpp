#pragma once
// The sdk::Error for a vendor's answer that is not 2xx (or did not arrive), with the wait a 429
// asks for: the classification every REST vendor plugin needs, worded per vendor. Header-only,
// on top of plugin.hpp.

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ttbridge/plugin.hpp"

namespace ttb::sdk {

// True for a 2xx answer.
inline bool succeeded(const HttpResponse& r) noexcept {
  return r.status == TTB_STATUS_OK && r.http_status >= 200 && r.http_status < 300;
}

// How long to wait after a 429, as a vendor documents it.
struct RateLimitWait {
  std::uint32_t default_ms = 1000;  // when the answer carries no usable header
  std::uint32_t due_ms = 1000;      // when a header says the window has already reset
  std::uint32_t max_ms = 3600 * 1000;
  // Read after Retry-After, first present wins; an empty name is skipped. Their value is seconds
  // until the window resets, or an epoch time in seconds (anything past 2001, 1e9 s, can only be
  // the latter).
  std::array<std::string_view, 2> reset_headers = {"X-RateLimit-Reset", "RateLimit-Reset"};
};

namespace detail {

// Digits only, at most 12 of them; nullopt otherwise.
inline std::optional<std::int64_t> parse_count(const std::optional<std::string>& v) {
  if (!v || v->empty() || v->size() > 12) return std::nullopt;
  std::int64_t n = 0;
  for (const char c : *v) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

}  // namespace detail

// The wait, in ms, a 429 asks for: Retry-After in seconds, else the first of the reset headers,
// else wait.default_ms; at most wait.max_ms. `now_ms` is the host's clock (epoch ms), for a reset
// given as an epoch time.
inline std::uint32_t rate_limit_wait_ms(const HttpResponse& r, std::int64_t now_ms,
                                        const RateLimitWait& wait) {
  const auto clamp = [&wait](std::int64_t ms) {
    if (ms <= 0) return wait.due_ms;
    return static_cast<std::uint32_t>(std::min<std::int64_t>(ms, wait.max_ms));
  };
  if (auto s = detail::parse_count(r.header("Retry-After"))) return clamp(*s * 1000);
  for (const std::string_view name : wait.reset_headers) {
    if (name.empty()) continue;
    if (auto v = detail::parse_count(r.header(name))) {
      if (*v >= 1'000'000'000) return clamp(*v * 1000 - now_ms);
      return clamp(*v * 1000);
    }
  }
  return wait.default_ms;
}

// The vendor's words in the error details an operator reads, e.g. for HackerRank:
//   {"HackerRank", "the API key", "check the provider's api_key", "the test or candidate"}
struct VendorTerms {
  std::string_view vendor;                     // starts every detail
  std::string_view credential;                 // what a 401/403 refused
  std::string_view credential_hint;            // what the operator should check after a 401/403
  std::string_view unknown;                    // what a 404 did not find
  std::string_view rate_limit = "rate limit";  // "<vendor>'s <rate_limit> was hit"
  RateLimitWait wait{};
  // Whether a 5xx's Retry-After is passed on as the retry time (else the engine's backoff); like
  // a 429's wait it is at most wait.max_ms, so one long header cannot push the retry past the
  // job's deadline, which would end the job.
  bool unavailable_retry_after = false;
};

// The error for an answer that is not 2xx, or did not arrive: 401/403 AUTH, 404 NOT_FOUND, 429
// RATE_LIMITED with the wait from terms.wait, 5xx VENDOR_UNAVAILABLE, other codes INVALID; a
// transport failure is VENDOR_UNAVAILABLE (CANCELLED stays CANCELLED). `action` says what the
// plugin was doing, in words ("list the tests"). The detail never carries a credential or the
// vendor's body (which may hold candidate data):
//   if (!ttb::sdk::succeeded(r)) throw ttb::sdk::error_for_answer(r, "list the tests", now,
//   kTerms);
inline Error error_for_answer(const HttpResponse& r, std::string_view action, std::int64_t now_ms,
                              const VendorTerms& terms) {
  const std::string vendor(terms.vendor);
  const std::string what(action);
  if (r.status != TTB_STATUS_OK) {
    return Error(
        r.status == TTB_STATUS_CANCELLED ? TTB_STATUS_CANCELLED : TTB_STATUS_VENDOR_UNAVAILABLE,
        "could not reach " + vendor + " to " + what + (r.error.empty() ? "" : ": " + r.error));
  }
  const std::string code = "HTTP " + std::to_string(r.http_status);
  const std::string asked = " (" + code + ") when asked to " + what;
  switch (status_for_http(r)) {
    case TTB_STATUS_AUTH:
      return Error(TTB_STATUS_AUTH, vendor + " refused " + std::string(terms.credential) + asked +
                                        "; " + std::string(terms.credential_hint));
    case TTB_STATUS_NOT_FOUND:
      return Error(TTB_STATUS_NOT_FOUND,
                   vendor + " does not know " + std::string(terms.unknown) + asked);
    case TTB_STATUS_RATE_LIMITED: {
      const std::uint32_t ms = rate_limit_wait_ms(r, now_ms, terms.wait);
      return Error(TTB_STATUS_RATE_LIMITED,
                   vendor + "'s " + std::string(terms.rate_limit) + " was hit" + asked +
                       "; retry in " + std::to_string(ms) + " ms",
                   ms);
    }
    case TTB_STATUS_VENDOR_UNAVAILABLE:
      return Error(
          TTB_STATUS_VENDOR_UNAVAILABLE, vendor + " is unavailable" + asked,
          terms.unavailable_retry_after ? std::min(retry_after_ms(r), terms.wait.max_ms) : 0);
    default:
      return Error(TTB_STATUS_INVALID,
                   vendor + " rejected the request to " + what + " (" + code + ")");
  }
}

}  // namespace ttb::sdk
