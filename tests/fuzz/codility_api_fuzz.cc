// Codility's answers (plugins/codility/codility_api.h, mapping.h): Retry-After and the
// rate-limit reset header, the error for a non-2xx answer, a list page's `next` link (which must
// never lead the API token off base_url's origin), and the pages and invite answer read by the
// mapping: the tests a page offers, the order's session in a sessions page, the invite's update.
// Input: line 1 the HTTP status, line 2 Retry-After, line 3 X-RateLimit-Reset, the rest a JSON
// page.

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "codility_api.h"
#include "fuzz_support.h"
#include "mapping.h"
#include "plugin_update_check.h"
#include "ttbridge/url.hpp"

namespace codility = ttb::codility;
namespace sdk = ttb::sdk;
using nlohmann::json;

namespace {

constexpr std::int64_t kNow = 1740823200000;   // 2025-03-01T10:00:00Z
constexpr std::size_t kMaxTestName = 200 + 3;  // mapping.cc's clip(name, 200) and "..."

codility::OrderRequest order() {
  codility::OrderRequest o;
  o.order_id = "pr_1";
  o.test_id = "T1";
  o.candidate_id = "1001";
  o.email = "ada@example.org";
  o.callback_url = "https://tt.example/callbacks/acme/codility/orders/pr_1";
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = ttb::fuzz::fields(ttb::fuzz::as_text(data, size), 4);
  const std::string base_url = "https://codility.com/api";
  const std::optional<std::string> base_origin = sdk::origin_of(base_url);
  TTB_FUZZ_CHECK(base_origin.has_value());

  sdk::HttpResponse response;
  response.status = TTB_STATUS_OK;
  std::from_chars(parts[0].data(), parts[0].data() + parts[0].size(), response.http_status);
  if (!parts[1].empty()) response.headers.emplace_back("Retry-After", std::string(parts[1]));
  if (!parts[2].empty()) response.headers.emplace_back("X-RateLimit-Reset", std::string(parts[2]));
  response.body = std::string(parts[3]);
  const std::uint32_t wait = codility::rate_limit_retry_ms(response, kNow);
  TTB_FUZZ_CHECK(wait <= codility::kMaxRetryAfterMs);
  const sdk::Error error = codility::vendor_error(response, "list the tests", kNow);
  if (!sdk::succeeded(response)) TTB_FUZZ_CHECK(error.status() != TTB_STATUS_OK);
  TTB_FUZZ_CHECK(error.retry_after_ms() <= codility::kMaxRetryAfterMs);
  // The body is Codility's; it may echo the candidate's data and never goes into the error.
  if (parts[3].find("ada@example.org") != std::string_view::npos) {
    TTB_FUZZ_CHECK(std::string_view(error.what()).find("ada@") == std::string_view::npos);
  }

  const json page = json::parse(parts[3], nullptr, false);
  if (page.is_discarded()) return 0;
  for (const std::string& current : {codility::first_tests_page_url(base_url),
                                     codility::sessions_lookup_url(base_url, "T1", "pr_1")}) {
    try {
      if (const auto next = codility::next_page_url(page, base_url, current)) {
        TTB_FUZZ_CHECK(sdk::origin_of(*next) == base_origin);
        TTB_FUZZ_CHECK(*next != current);
      }
    } catch (const sdk::Error& e) {
      TTB_FUZZ_CHECK(e.status() == TTB_STATUS_INVALID ||
                     e.status() == TTB_STATUS_VENDOR_UNAVAILABLE);
    }
  }

  json tests = json::array();
  try {
    codility::append_invitable_tests(page, tests);
    ttb::fuzz::check_host_accepts_tests(tests);
    for (const json& test : tests) {
      TTB_FUZZ_CHECK(!test["id"].get_ref<const std::string&>().empty());
      TTB_FUZZ_CHECK(test["name"].get_ref<const std::string&>().size() <= kMaxTestName);
    }
  } catch (const sdk::Error& e) {
    TTB_FUZZ_CHECK(e.status() == TTB_STATUS_VENDOR_UNAVAILABLE);
  }

  try {
    if (const auto session = codility::find_order_session(page, "pr_1")) {
      TTB_FUZZ_CHECK(codility::session_belongs_to(*session, "pr_1"));
      TTB_FUZZ_CHECK(!codility::session_id_of(*session).empty());
    }
  } catch (const sdk::Error& e) {
    TTB_FUZZ_CHECK(e.status() == TTB_STATUS_VENDOR_UNAVAILABLE);
  }

  // The page as the invite's answer: a "sent" update the host accepts, or a refusal.
  const codility::OrderRequest o = order();
  try {
    const json update = codility::invite_update(o, page);
    ttb::fuzz::check_host_accepts(update);
    TTB_FUZZ_CHECK(update["status"] == "sent");
    TTB_FUZZ_CHECK(sdk::is_http_url(update["candidate_url"].get<std::string>()));
  } catch (const sdk::Error& e) {
    TTB_FUZZ_CHECK(e.status() == TTB_STATUS_VENDOR_UNAVAILABLE);
  }
  return 0;
}
