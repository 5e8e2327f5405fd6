#pragma once
// Checkr's 429 answer: X-Ratelimit-Reset is an ISO 8601 timestamp (not seconds), so the retry
// time is that instant minus the host's clock. Pure functions, testable without a host.

#include <cstdint>
#include <optional>
#include <string_view>

namespace ttb::checkr {

// Milliseconds since the Unix epoch for "2025-03-01T10:00:00Z", "2025-03-01T10:00:00.250Z" or
// "2025-03-01T12:00:00+02:00"; nullopt for anything else.
std::optional<std::int64_t> parse_iso8601_ms(std::string_view text);

// How long to wait after a 429, given the X-Ratelimit-Reset value (may be absent) and the host's
// clock: reset - now, at least 1 s; 2 s (Checkr's first back-off step) when the header is absent
// or unreadable. A bare number is read as epoch seconds, which some proxies send.
std::uint32_t retry_after_ms(std::optional<std::string_view> reset_header, std::int64_t now_ms);

inline constexpr std::uint32_t kMinRetryMs = 1000;
inline constexpr std::uint32_t kDefaultRetryMs = 2000;
inline constexpr std::uint32_t kMaxRetryMs = 3600 * 1000;  // a reset an hour away is a broken clock

}  // namespace ttb::checkr
