#pragma once
// Checkr's REST API as plain request values (Basic auth with the key as user, JSON bodies) and
// the classification of its answers into ABI statuses. Building and sending are apart so the
// requests can be checked without a host; CheckrProvider sends them through host->http_send.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "config.h"
#include "ttbridge/plugin.hpp"

namespace ttb::checkr {

// Why a Checkr request did not give a usable answer, ready for Call::fail().
struct ApiFailure {
  ttb_status status = TTB_STATUS_INTERNAL;
  std::string detail;                // no key, no candidate data
  std::uint32_t retry_after_ms = 0;  // with TTB_STATUS_RATE_LIMITED
};

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
  sdk::HttpRequest request(std::string method, std::string path_and_query) const;

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

// nullopt for a 2xx answer; otherwise the failure for the call: 429 RATE_LIMITED with the time
// from X-Ratelimit-Reset, 401/403 AUTH, 404 NOT_FOUND, 5xx and transport VENDOR_UNAVAILABLE, other
// 4xx INVALID. `what` says what was attempted ("create the invitation"). `now_ms` is the host
// clock.
std::optional<ApiFailure> classify(const sdk::HttpResponse& response, std::string_view what,
                                   std::int64_t now_ms);

// Parses a 2xx body; a body that is not a JSON object is the vendor's fault: VENDOR_UNAVAILABLE.
std::optional<ApiFailure> parse_body(const sdk::HttpResponse& response, std::string_view what,
                                     nlohmann::json& out);

}  // namespace ttb::checkr
