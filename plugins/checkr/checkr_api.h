#pragma once
// Checkr's REST API as plain request values (Basic auth with the key as user, JSON bodies) and
// the reading of its answers: a 2xx body, or a ttb::sdk::Error with the ABI status (429 with the
// wait read from X-Ratelimit-Reset). Building and sending are apart so the requests and answers
// are checked without a host; the Provider sends them through the host.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "config.h"
#include "ttbridge/plugin.hpp"

namespace ttb::checkr {

class CheckrApi {
 public:
  explicit CheckrApi(const Config& config);

  sdk::HttpRequest list_packages(int page) const;
  sdk::HttpRequest find_candidate(std::string_view custom_id) const;
  sdk::HttpRequest get_candidate(std::string_view id) const;
  sdk::HttpRequest create_candidate(const nlohmann::json& body,
                                    std::string_view idempotency_key) const;
  sdk::HttpRequest create_invitation(const nlohmann::json& body,
                                     std::string_view idempotency_key) const;
  sdk::HttpRequest get_invitation(std::string_view id) const;
  sdk::HttpRequest delete_invitation(std::string_view id) const;
  // With include=candidate,documents and the usual screenings, so one GET gives what the result
  // card needs: the order (candidate custom_id), the PDF and one line per screening.
  sdk::HttpRequest get_report(std::string_view id) const;
  sdk::HttpRequest get_document(std::string_view id) const;

  static constexpr int kPageSize = 100;  // Checkr's maximum per_page

 private:
  sdk::HttpRequest request(std::string method, const std::string& path_and_query) const;

  std::string base_url_;
  std::string authorization_;
};

// The screenings asked for with include= on a report (Checkr embeds each as an object or list).
extern const char* const kReportIncludes;

// "Basic base64(key:)": Checkr takes the secret key as the user name and an empty password.
std::string basic_authorization(std::string_view api_key);

// A stable UUID-shaped Idempotency-Key for one step of one order ("invitation", "candidate"), so a
// retried create after a crash replays the first answer instead of inviting twice. SHA-256 based:
// the order id cannot be read back from it.
std::string idempotency_key(std::string_view step, std::string_view order_id);

// Percent-encodes one path segment or query value (ids come from vendor payloads).
std::string url_encode(std::string_view s);

// The error for an answer that is not 2xx (or did not arrive): 429 RATE_LIMITED with the wait
// from X-Ratelimit-Reset, 401/403 AUTH, 404 NOT_FOUND, 5xx and transport VENDOR_UNAVAILABLE,
// other 4xx INVALID. `what` says what was attempted ("create the invitation"); the detail carries
// Checkr's short error message, never a key or candidate data. `now_ms` is the host clock.
sdk::Error vendor_error(const sdk::HttpResponse& response, std::string_view what,
                        std::int64_t now_ms);

// Throws vendor_error() unless the answer is 2xx.
void check_answer(const sdk::HttpResponse& response, std::string_view what, std::int64_t now_ms);

// The JSON object of a 2xx answer. Throws vendor_error() for any other answer, and
// VENDOR_UNAVAILABLE for a 2xx body that is not a JSON object (the vendor's fault).
nlohmann::json answer_body(const sdk::HttpResponse& response, std::string_view what,
                           std::int64_t now_ms);

// ---- 429: X-Ratelimit-Reset is an ISO 8601 timestamp (not seconds), so the wait is that
// instant minus the host's clock.

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
