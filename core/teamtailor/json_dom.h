#pragma once
// Reading the JSON that arrives on every partner request (webhook bodies, provider-key JWTs) with
// simdjson's DOM parser, which validates the whole text as nlohmann's did at a fraction of its
// cost (docs/performance.md, "The webhook's JSON, its log line and SQLite's bookkeeping"). Only
// this library's sources include it: simdjson is a private dependency of ttb_teamtailor.

#include <cstdint>
#include <optional>
#include <string_view>

#include <simdjson.h>

namespace ttb::teamtailor {

// The value of `name` in `object`, or nothing when absent. A name given twice counts by its last
// value, as a parser that builds a map keeps it (and as nlohmann, which parsed these before, did).
std::optional<simdjson::dom::element> last_member(const simdjson::dom::object& object,
                                                  std::string_view name);

// A JSON number as whole seconds (JWT NumericDate: an integer, or a number with a fraction that
// is dropped), clamped to what an int64 holds; nothing when `value` is not a number.
std::optional<std::int64_t> whole_seconds(const simdjson::dom::element& value);

}  // namespace ttb::teamtailor
