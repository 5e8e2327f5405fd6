// Compiles plugin.h and plugin.hpp as C++17 and C++20 with -pedantic -Werror.
#include "ttbridge/plugin.hpp"

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
  return 0;
}
