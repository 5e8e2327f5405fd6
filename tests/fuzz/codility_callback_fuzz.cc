// Codility's callback: the per-order token in the callback path (plugins/codility/callback_token.h)
// and the body it carries, read for the session it names and, as the provider does after its
// re-fetch, mapped onto an order update and a dedupe key (plugins/codility/mapping.h); plus the
// order context read by the same module. Input: line 1 the path after the provider
// ("results/{order id}/{token}"), the rest a JSON body.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "callback_token.h"
#include "fuzz_support.h"
#include "mapping.h"
#include "plugin_update_check.h"
#include "ttbridge/plugin.hpp"

namespace codility = ttb::codility;
namespace sdk = ttb::sdk;
using nlohmann::json;

namespace {

constexpr std::string_view kKey = "codility-fuzz-key-0123456789";
constexpr std::size_t kMaxSummary = 1000 + 3;  // mapping.cc's clip(): 1000 bytes and "..."
constexpr std::size_t kMaxTasks = 50;

void check_update(const json& update) {
  ttb::fuzz::check_host_accepts(update);
  if (auto s = update.find("summary"); s != update.end() && s->is_string()) {
    TTB_FUZZ_CHECK(s->get_ref<const std::string&>().size() <= kMaxSummary);
  }
  if (auto d = update.find("details"); d != update.end() && d->contains("tasks")) {
    TTB_FUZZ_CHECK(d->at("tasks").size() <= kMaxTasks);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = ttb::fuzz::fields(ttb::fuzz::as_text(data, size), 2);

  // The path: only the token of the order it names is accepted, and only with a key and an id.
  const std::optional<codility::CallbackPath> path = codility::parse_callback_path(parts[0]);
  if (path) {
    TTB_FUZZ_CHECK(!path->order_id.empty() && !path->token.empty());
    TTB_FUZZ_CHECK(path->token.find('/') == std::string::npos);
    TTB_FUZZ_CHECK(parts[0] ==
                   std::string(codility::kCallbackPathPrefix) + path->order_id + "/" + path->token);
    const std::string expected = codility::callback_token(kKey, path->order_id);
    TTB_FUZZ_CHECK(codility::token_matches(kKey, path->order_id, path->token) ==
                   (path->token == expected));
    TTB_FUZZ_CHECK(codility::token_matches(kKey, path->order_id, expected));
    TTB_FUZZ_CHECK(!codility::token_matches("", path->order_id, path->token));
    // The URL registered for the order leads back to the same order and token.
    if (path->order_id.find_first_of("/?#") == std::string::npos) {
      const std::string url = codility::callback_url_for(
          "https://tt.example/callbacks/acme/codility/orders/" + path->order_id, expected);
      const std::string tail = url.substr(url.find("/codility/") + 10);
      const auto again = codility::parse_callback_path(tail);
      TTB_FUZZ_CHECK(again && again->order_id == path->order_id && again->token == expected);
    }
  }
  try {
    (void)codility::callback_url_for(parts[0], "t");
  } catch (const sdk::Error& e) {
    TTB_FUZZ_CHECK(e.status() == TTB_STATUS_INVALID);
  }

  const std::string body(parts[1]);
  try {
    const codility::OrderRef ref = codility::parse_order_context(body);
    TTB_FUZZ_CHECK(!ref.session_id.empty());
  } catch (const sdk::Error& e) {
    TTB_FUZZ_CHECK(e.status() == TTB_STATUS_INVALID);
  }

  const json callback = json::parse(body, nullptr, false);
  if (callback.is_discarded()) return 0;
  (void)codility::callback_session_id(callback);
  (void)codility::id_text(callback);
  (void)codility::session_id_of(callback);
  const codility::OrderRef order{"pr_1", "CS1-QX"};
  (void)codility::session_belongs_to(callback, order.order_id);
  // The provider maps the session it re-read; the fuzzer stands in for Codility's answer.
  const json* session = &callback;
  if (callback.is_object()) {
    if (auto s = callback.find("session"); s != callback.end() && s->is_object()) session = &*s;
  }
  for (const json* candidate : {&callback, session}) {
    try {
      const json update = codility::map_session(*candidate, order);
      check_update(update);
      TTB_FUZZ_CHECK(!codility::callback_event_id(update).empty());
    } catch (const sdk::Error& e) {
      TTB_FUZZ_CHECK(e.status() == TTB_STATUS_VENDOR_UNAVAILABLE && !candidate->is_object());
    }
  }
  check_update(codility::gone_update(order));
  return 0;
}
