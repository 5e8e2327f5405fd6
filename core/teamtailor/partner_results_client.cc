#include "teamtailor/partner_results_client.h"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "teamtailor/text.h"
#include "ttbridge/json_depth.hpp"

namespace ttb::teamtailor {

namespace {

using Json = nlohmann::json;

constexpr std::size_t kMaxErrorText = 512;
// JSON:API errors nest 3 deep, and a structured detail a few more.
constexpr std::size_t kMaxErrorDepth = 16;
// A reset far in the future is more likely a bad header than a real limit; cap the wait.
constexpr std::chrono::seconds kMaxRetryAfter{3600};
// Both headers count whole seconds, so 0 means "within this second". Taken as no wait, a push
// would run again at once, in the window that refused it, and spend its attempts in milliseconds.
constexpr std::chrono::seconds kMinRetryAfter{1};

std::optional<std::chrono::seconds> parse_delay_seconds(const std::optional<std::string>& value) {
  if (!value) return std::nullopt;
  std::string_view text = trim(*value);
  if (text.empty() || text.size() > 10) return std::nullopt;  // also refuses HTTP dates
  long long seconds = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    seconds = seconds * 10 + (c - '0');
  }
  return std::clamp(std::chrono::seconds(seconds), kMinRetryAfter, kMaxRetryAfter);
}

std::string shorten(std::string text) {
  if (text.size() > kMaxErrorText) {
    text.resize(kMaxErrorText);
    text += "...";
  }
  return text;
}

}  // namespace

std::string jsonapi_error_text(std::string_view body) {
  // A structured detail is dumped, and dump() recurses once per level: a body nested 150,000
  // deep overflowed a push worker's stack. One that deep is not Teamtailor's error document.
  Json json = sdk::json_nests_deeper_than(body, kMaxErrorDepth)
                  ? Json(Json::value_t::discarded)
                  : Json::parse(body, nullptr, /*allow_exceptions=*/false);
  std::string text;
  auto append = [&](const std::string& part) {
    if (part.empty()) return;
    if (!text.empty()) text += "; ";
    text += part;
  };
  if (!json.is_discarded() && json.is_object()) {
    auto errors = json.find("errors");
    if (errors != json.end() && errors->is_array()) {
      for (const auto& error : *errors) {
        if (!error.is_object()) continue;
        auto detail = error.find("detail");
        auto title = error.find("title");
        if (detail != error.end() && detail->is_string()) {
          append(detail->get<std::string>());
        } else if (detail != error.end() && detail->is_structured()) {
          append(detail->dump(-1, ' ', false, Json::error_handler_t::replace));
        } else if (title != error.end() && title->is_string()) {
          append(title->get<std::string>());
        }
      }
    }
  }
  if (text.empty()) {
    text = std::string(body);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  }
  return shorten(std::move(text));
}

PartnerResultsClient::PartnerResultsClient(std::shared_ptr<net::HttpClient> http,
                                           std::string api_url, std::string api_key,
                                           std::chrono::milliseconds timeout)
    : http_(std::move(http)),
      api_url_(std::move(api_url)),
      api_key_(std::move(api_key)),
      timeout_(timeout) {
  while (!api_url_.empty() && api_url_.back() == '/') api_url_.pop_back();
}

std::string PartnerResultsClient::url_for(std::string_view partner_result_id) const {
  return api_url_ + "/partner-results/" + escape_path_segment(partner_result_id);
}

PushOutcome PartnerResultsClient::put(std::string_view partner_result_id,
                                      const PartnerResultUpdate& update) const {
  PushOutcome outcome;
  if (partner_result_id.empty()) {
    outcome.error = "partner-result id is empty";
    return outcome;
  }
  auto problems = validate(update);
  if (!problems.empty()) {
    outcome.error = "invalid partner-result update: ";
    for (std::size_t i = 0; i < problems.size(); ++i) {
      if (i > 0) outcome.error += "; ";
      outcome.error += problems[i];
    }
    return outcome;
  }

  net::ClientRequest request;
  request.method = "PUT";
  request.url = url_for(partner_result_id);
  request.headers = {{"Authorization", "Bearer " + api_key_},
                     {"X-Api-Version", std::string(kApiVersion)},
                     {"Content-Type", std::string(kJsonApiContentType)},
                     {"Accept", std::string(kJsonApiContentType)}};
  request.body = to_jsonapi(partner_result_id, update);
  request.timeout = timeout_;
  request.max_response_bytes = 1 << 20;

  const net::ClientResponse response = http_->send(request);
  outcome.http_status = response.status;
  if (response.transport_failed()) {
    outcome.kind = PushOutcome::retryable;
    outcome.answered = false;
    outcome.error = "no answer from Teamtailor: " +
                    (response.error.empty() ? std::string("transport error") : response.error);
    outcome.error = redact(std::move(outcome.error), api_key_);
    return outcome;
  }
  const int status = response.status;
  if (status >= 200 && status < 300) {
    outcome.kind = PushOutcome::ok;
    return outcome;
  }
  if (status == 429) {
    outcome.kind = PushOutcome::retryable;
    outcome.retry_after = parse_delay_seconds(response.header("X-Rate-Limit-Reset"));
    if (!outcome.retry_after)
      outcome.retry_after = parse_delay_seconds(response.header("Retry-After"));
  } else if (status == 408 || status >= 500) {
    outcome.kind = PushOutcome::retryable;
    outcome.answered = false;
    outcome.retry_after = parse_delay_seconds(response.header("Retry-After"));
  } else {
    outcome.kind = PushOutcome::rejected;
  }
  // Redact before jsonapi_error_text shortens the text: a key cut in half at the end of the
  // shortened text would no longer match, and its first half would reach the log.
  const std::string detail = jsonapi_error_text(redact(response.body, api_key_));
  outcome.error = "Teamtailor answered HTTP " + std::to_string(status) +
                  (detail.empty() ? std::string() : ": " + detail);
  outcome.error = redact(std::move(outcome.error), api_key_);
  return outcome;
}

}  // namespace ttb::teamtailor
