#pragma once
// Writes partner-result updates to Teamtailor (docs/protocols/teamtailor.md, "Partner-result
// update"): PUT {api_url}/partner-results/{id}. The host is always the configured api_url, never
// a webhook's update-url, so a forged webhook body cannot make ttbridge send its API key
// elsewhere.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "net/http_client.h"
#include "teamtailor/partner_result.h"

namespace ttb::teamtailor {

inline constexpr std::string_view kApiVersion = "20180828";
inline constexpr std::string_view kJsonApiContentType = "application/vnd.api+json";

struct PushOutcome {
  enum Kind { ok, retryable, rejected } kind = rejected;
  int http_status = 0;  // 0: no HTTP answer (transport failure) or not sent (invalid update)
  // false when Teamtailor gave no answer of its own: no HTTP answer, a 408 or a 5xx (a 429 is
  // one). What the job runner's Teamtailor breaker counts (jobs/outage_breaker.h).
  bool answered = true;
  std::optional<std::chrono::seconds> retry_after;  // from X-Rate-Limit-Reset or Retry-After
  std::string error;  // empty when ok; JSON:API errors[].detail when Teamtailor gave them
};

class PartnerResultsClient {
 public:
  // `api_url` is teamtailor.api_url, e.g. "https://api.teamtailor.com/partner/v1". The API key is
  // sent only as the Authorization header and never appears in an outcome's error.
  PartnerResultsClient(std::shared_ptr<net::HttpClient> http, std::string api_url,
                       std::string api_key,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // Validates, then sends. An invalid update is not sent and comes back `rejected` (status 0).
  // 2xx -> ok; 429 -> retryable (with the reset delay); 408, 5xx, transport failure -> retryable;
  // any other status -> rejected. Thread-safe when the HttpClient is.
  PushOutcome put(std::string_view partner_result_id, const PartnerResultUpdate& update) const;

  // The URL put() uses for an id (for logs: it holds no secret).
  std::string url_for(std::string_view partner_result_id) const;

 private:
  std::shared_ptr<net::HttpClient> http_;
  std::string api_url_;
  std::string api_key_;
  std::chrono::milliseconds timeout_;
};

// The text of a JSON:API error body: every errors[].detail (a string or an object) joined with
// "; ", else errors[].title, else a prefix of the raw body (also for a body nested deeper than an
// error document is). Exposed for the job runner's logs.
std::string jsonapi_error_text(std::string_view body);

}  // namespace ttb::teamtailor
