// An order update as a plugin reports it (core/orders/vendor_update.h, parse_vendor_update):
// plugin output is outside input. Input: the JSON text.

#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_support.h"
#include "orders/vendor_update.h"

namespace orders = ttb::orders;

namespace {

bool is_object_text(const std::string& text) {
  const auto value = nlohmann::json::parse(text, nullptr, false);
  return !value.is_discarded() && value.is_object();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // A malformed update is refused with a message: an escaping exception ends the run as a crash.
  const orders::ParsedUpdate parsed =
      orders::parse_vendor_update(std::string(ttb::fuzz::as_text(data, size)));
  if (!parsed.update) {
    TTB_FUZZ_CHECK(!parsed.error.empty());
    return 0;
  }
  const orders::VendorUpdate& u = *parsed.update;
  if (u.score) TTB_FUZZ_CHECK(*u.score >= 0 && *u.score <= 100);
  if (!u.details_json.empty()) TTB_FUZZ_CHECK(is_object_text(u.details_json));
  if (!u.vendor_state_json.empty()) TTB_FUZZ_CHECK(is_object_text(u.vendor_state_json));
  if (u.attachments) {
    for (const orders::Attachment& a : *u.attachments) TTB_FUZZ_CHECK(!a.url.empty());
  }
  return 0;
}
