// HackerRank's answers and links (plugins/hackerrank/hackerrank_api.h): Retry-After and the
// rate-limit reset headers, the error for a non-2xx answer, and the test list's `next` link,
// which must never lead the API key off base_url's origin.
// Input: line 1 the HTTP status, line 2 Retry-After, line 3 X-RateLimit-Reset, line 4 a link,
// the rest a JSON page.

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_support.h"
#include "hackerrank_api.h"
#include "ttbridge/url.hpp"

namespace hr = ttb::hackerrank;
namespace sdk = ttb::sdk;
using nlohmann::json;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = ttb::fuzz::fields(ttb::fuzz::as_text(data, size), 5);
  constexpr std::int64_t kNow = 1740823200000;
  const std::string base_url = "https://www.hackerrank.com/x/api/v3";
  const std::optional<std::string> base_origin = sdk::origin_of(base_url);
  TTB_FUZZ_CHECK(base_origin.has_value());

  sdk::HttpResponse response;
  response.status = TTB_STATUS_OK;
  std::from_chars(parts[0].data(), parts[0].data() + parts[0].size(), response.http_status);
  if (!parts[1].empty()) response.headers.emplace_back("Retry-After", std::string(parts[1]));
  if (!parts[2].empty()) response.headers.emplace_back("X-RateLimit-Reset", std::string(parts[2]));
  const std::uint32_t wait = hr::rate_limit_retry_ms(response, kNow);
  TTB_FUZZ_CHECK(wait <= hr::kMaxRetryAfterMs);
  const sdk::Error error = hr::vendor_error(response, "list the tests", kNow);
  if (!sdk::succeeded(response)) TTB_FUZZ_CHECK(error.status() != TTB_STATUS_OK);

  // A resolved link stays on base_url's origin.
  const std::string_view link = parts[3];
  if (const std::optional<std::string> url = sdk::resolve_link(link, base_url)) {
    TTB_FUZZ_CHECK(sdk::origin_of(*url) == base_origin);
  }
  (void)sdk::origin_of(link);
  const std::string segment = sdk::encode_segment(link);
  TTB_FUZZ_CHECK(segment.find_first_of("/?#") == std::string::npos);

  const json page = json::parse(parts[4], nullptr, false);
  if (page.is_discarded() || !page.is_object()) return 0;
  const std::string current = hr::first_tests_page_url(base_url);
  try {
    if (const auto next = hr::next_tests_page_url(page, base_url, current)) {
      TTB_FUZZ_CHECK(sdk::origin_of(*next) == base_origin);
      TTB_FUZZ_CHECK(*next != current);
    }
  } catch (const sdk::Error& e) {
    TTB_FUZZ_CHECK(e.status() == TTB_STATUS_INVALID || e.status() == TTB_STATUS_VENDOR_UNAVAILABLE);
  }
  return 0;
}
