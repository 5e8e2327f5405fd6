// Teamtailor's answer to a partner-result PUT (core/teamtailor/partner_results_client.h): the
// JSON:API error body and the X-Rate-Limit-Reset / Retry-After headers, read by
// PartnerResultsClient::put through a fake HTTP client.
// Input: line 1 the HTTP status, line 2 X-Rate-Limit-Reset, line 3 Retry-After, the rest the body.

#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "fuzz_support.h"
#include "net/http_client.h"
#include "teamtailor/partner_results_client.h"

namespace tt = ttb::teamtailor;
namespace net = ttb::net;

namespace {

constexpr std::string_view kApiKey = "tt-api-key-0123456789";

class CannedClient final : public net::HttpClient {
 public:
  explicit CannedClient(net::ClientResponse response) : response_(std::move(response)) {}
  net::ClientResponse send(const net::ClientRequest&) override { return response_; }

 private:
  net::ClientResponse response_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = ttb::fuzz::fields(ttb::fuzz::as_text(data, size), 4);
  net::ClientResponse response;
  std::from_chars(parts[0].data(), parts[0].data() + parts[0].size(), response.status);
  if (response.status < 0 || response.status > 999) response.status = 500;
  if (response.status == 0) response.error = "connection refused";
  if (!parts[1].empty()) response.headers.emplace_back("X-Rate-Limit-Reset", parts[1]);
  if (!parts[2].empty()) response.headers.emplace_back("Retry-After", parts[2]);
  response.body = std::string(parts[3]);

  // The error text alone: bounded (512 bytes and an ellipsis), never empty for a non-empty body.
  const std::string text = tt::jsonapi_error_text(response.body);
  TTB_FUZZ_CHECK(text.size() <= 515);

  const tt::PartnerResultsClient client(std::make_shared<CannedClient>(response),
                                        "https://api.teamtailor.test/v1", std::string(kApiKey));
  tt::PartnerResultUpdate update;
  update.status = "completed";
  update.score = 50;
  const tt::PushOutcome outcome = client.put("pr-1", update);

  TTB_FUZZ_CHECK(outcome.http_status == response.status);
  if (outcome.retry_after) {
    TTB_FUZZ_CHECK(outcome.retry_after->count() >= 0);
    TTB_FUZZ_CHECK(*outcome.retry_after <= std::chrono::hours(1));
    TTB_FUZZ_CHECK(outcome.kind == tt::PushOutcome::retryable);
  }
  if (outcome.kind == tt::PushOutcome::ok) {
    TTB_FUZZ_CHECK(outcome.error.empty());
  } else {
    TTB_FUZZ_CHECK(!outcome.error.empty());
    TTB_FUZZ_CHECK(outcome.error.size() <= 600);
    // The API key never leaks into an error, whatever Teamtailor echoes back.
    TTB_FUZZ_CHECK(outcome.error.find(kApiKey) == std::string::npos);
  }
  return 0;
}
