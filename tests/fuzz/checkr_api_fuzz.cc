// Checkr's answers (plugins/checkr/checkr_api.h): the error body, the X-Ratelimit-Reset header
// (an ISO 8601 instant or epoch seconds) and the 2xx body read as a JSON object.
// Input: line 1 the HTTP status, line 2 X-Ratelimit-Reset, the rest the body.

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "checkr_api.h"
#include "fuzz_support.h"

namespace checkr = ttb::checkr;
namespace sdk = ttb::sdk;

namespace {

constexpr std::int64_t kNow = 1740823200000;  // 2025-03-01T10:00:00Z

// "YYYY-MM-DDThh:mm:ssZ" as the C library reads it, for comparison.
std::optional<std::int64_t> reference_ms(std::string_view text) {
  if (text.size() != 20 || text[10] != 'T' || text[19] != 'Z') return std::nullopt;
  std::tm tm{};
  const std::string s(text);
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<std::int64_t>(timegm(&tm)) * 1000;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = ttb::fuzz::fields(ttb::fuzz::as_text(data, size), 3);
  const std::string_view reset = parts[1];

  if (const auto ms = checkr::parse_iso8601_ms(reset)) {
    if (const auto expected = reference_ms(reset)) TTB_FUZZ_CHECK(*ms == *expected);
  }
  const std::uint32_t wait = checkr::retry_after_ms(reset, kNow);
  TTB_FUZZ_CHECK(wait >= checkr::kMinRetryMs && wait <= checkr::kMaxRetryMs);

  sdk::HttpResponse response;
  response.status = TTB_STATUS_OK;
  std::from_chars(parts[0].data(), parts[0].data() + parts[0].size(), response.http_status);
  if (!reset.empty()) response.headers.emplace_back("X-Ratelimit-Reset", std::string(reset));
  response.body = std::string(parts[2]);

  const bool ok = response.http_status >= 200 && response.http_status < 300;
  const sdk::Error error = checkr::vendor_error(response, "fetch the report", kNow);
  TTB_FUZZ_CHECK(std::string_view(error.what()).size() <= 300);
  if (response.http_status == 429) {
    TTB_FUZZ_CHECK(error.retry_after_ms() >= checkr::kMinRetryMs &&
                   error.retry_after_ms() <= checkr::kMaxRetryMs);
  }
  try {
    const nlohmann::json body = checkr::answer_body(response, "fetch the report", kNow);
    TTB_FUZZ_CHECK(ok && body.is_object());
  } catch (const sdk::Error& e) {
    TTB_FUZZ_CHECK(e.status() != TTB_STATUS_OK);
  }
  return 0;
}
