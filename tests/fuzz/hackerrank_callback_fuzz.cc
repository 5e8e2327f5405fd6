// HackerRank's callback: the per-order bearer token (plugins/hackerrank/webhook_token.h), and the
// candidate JSON it leads to mapped onto an order update, a dedupe key and the PDF link
// (plugins/hackerrank/mapping.h), plus the order context and the test list pages read by the same
// module. Input: line 1 the Authorization header, the rest a JSON body.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_support.h"
#include "mapping.h"
#include "plugin_update_check.h"
#include "webhook_token.h"

namespace hr = ttb::hackerrank;
namespace sdk = ttb::sdk;
using nlohmann::json;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = ttb::fuzz::fields(ttb::fuzz::as_text(data, size), 2);
  const std::string token(64, 'a');

  // Only the exact token (with the scheme in any case, spaces around it) is accepted.
  const sdk::Headers headers = {{"Authorization", std::string(parts[0])}};
  if (hr::bearer_matches(headers, token)) {
    TTB_FUZZ_CHECK(parts[0].find(token) != std::string_view::npos);
  }
  TTB_FUZZ_CHECK(!hr::bearer_matches(headers, ""));
  TTB_FUZZ_CHECK(hr::bearer_matches({{"authorization", "Bearer " + token}}, token));

  const std::string body(parts[1]);
  try {
    const hr::OrderRef ref = hr::parse_order_context(body);
    TTB_FUZZ_CHECK(!ref.candidate_id.empty());
  } catch (const sdk::Error& e) {
    TTB_FUZZ_CHECK(e.status() == TTB_STATUS_INVALID);
  }

  const json candidate = json::parse(body, nullptr, false);
  if (candidate.is_discarded()) return 0;
  hr::OrderRef order;
  order.order_id = "pr-1";
  order.test_id = "t-9";
  order.candidate_id = "c-7";
  order.token = token;

  (void)hr::id_text(candidate);
  (void)hr::pdf_link_from(candidate);
  const std::optional<int> status = hr::candidate_status(candidate);
  for (const std::optional<std::string>& pdf :
       {std::optional<std::string>(), std::optional<std::string>("https://hr.test/r.pdf")}) {
    try {
      ttb::fuzz::check_host_accepts(hr::map_candidate(candidate, order, pdf));
      TTB_FUZZ_CHECK(status.has_value());
    } catch (const sdk::Error& e) {
      TTB_FUZZ_CHECK(e.status() == TTB_STATUS_VENDOR_UNAVAILABLE);
    }
    (void)hr::callback_event_id(candidate, order, pdf.has_value());
  }

  json tests = json::array();
  try {
    hr::append_invitable_tests(candidate, tests);
    ttb::fuzz::check_host_accepts_tests(tests);
  } catch (const sdk::Error& e) {
    TTB_FUZZ_CHECK(e.status() == TTB_STATUS_VENDOR_UNAVAILABLE);
  }
  return 0;
}
