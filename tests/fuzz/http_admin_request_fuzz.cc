// What the operator API parses from a request before any authentication decides (core/http/
// admin_session.h, core/admin/record_queries.h): the Cookie header that carries the console's
// session, and the time bounds of the order search (`since`, `until`). Input: the header value,
// also read as a time bound.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "admin/record_queries.h"
#include "fuzz_support.h"
#include "http/admin_session.h"

namespace {

using namespace std::chrono_literals;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = ttb::fuzz::as_text(data, size);

  // A cookie's value is a piece of the header: never across a ';', never invented.
  ttb::net::Request request;
  request.headers.emplace_back("Cookie", std::string(text));
  const std::string session = ttb::http::cookie_value(request, ttb::http::kSessionCookie);
  TTB_FUZZ_CHECK(session.find(';') == std::string::npos);
  TTB_FUZZ_CHECK(text.find(session) != std::string_view::npos);

  // A bound is a date or a timestamp; only a bare date moves to the next day as an upper bound.
  const auto from = ttb::admin::parse_time_bound(text, false);
  const auto until = ttb::admin::parse_time_bound(text, true);
  TTB_FUZZ_CHECK(from.has_value() == until.has_value());
  if (from) TTB_FUZZ_CHECK(*until - *from == (text.size() == 10 ? 24h : 0h));
  return 0;
}
