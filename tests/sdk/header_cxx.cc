// Compiles plugin.h and the C++ helpers (plugin.hpp, url.hpp, vendor_error.hpp) as C++17 and
// C++20 with -pedantic -Werror.
#include "ttbridge/plugin.hpp"
#include "ttbridge/url.hpp"
#include "ttbridge/vendor_error.hpp"

#include <cstring>

static_assert(TTB_ABI_MAJOR == 1, "this test is for ABI 1");
static_assert(sizeof(ttb_str) == sizeof(const char*) + sizeof(size_t), "ttb_str is {ptr, len}");

int main() {
  if (std::strcmp(ttb_status_name(TTB_STATUS_RATE_LIMITED), "rate_limited") != 0) return 1;
  if (std::strcmp(ttb_status_name(12345), "unknown") != 0) return 1;
  ttb::sdk::HttpResponse r;
  r.status = TTB_STATUS_OK;
  r.http_status = 429;
  r.headers = {{"retry-after", "7"}};
  if (ttb::sdk::status_for_http(r) != TTB_STATUS_RATE_LIMITED) return 1;
  if (ttb::sdk::retry_after_ms(r) != 7000) return 1;
  if (ttb::sdk::rate_limit_wait_ms(r, 0, ttb::sdk::RateLimitWait{}) != 7000) return 1;
  if (ttb::sdk::encode_segment("a/b") != "a%2Fb") return 1;
  if (!ttb::sdk::resolve_link("/x", "https://example.com/api")) return 1;
  const ttb::sdk::VendorTerms terms{"Acme", "the API key", "check the api_key", "the test"};
  if (ttb::sdk::error_for_answer(r, "x", 0, terms).retry_after_ms() != 7000) return 1;
  return 0;
}
