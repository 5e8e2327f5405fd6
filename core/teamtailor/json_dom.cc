#include "teamtailor/json_dom.h"

#include <cmath>
#include <limits>

namespace ttb::teamtailor {

std::optional<simdjson::dom::element> last_member(const simdjson::dom::object& object,
                                                  std::string_view name) {
  std::optional<simdjson::dom::element> found;
  for (const auto field : object) {
    if (field.key == name) found = field.value;
  }
  return found;
}

std::optional<std::int64_t> whole_seconds(const simdjson::dom::element& value) {
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  switch (value.type()) {
    case simdjson::dom::element_type::INT64:
      return value.get_int64().value_unsafe();
    case simdjson::dom::element_type::UINT64:
      return static_cast<std::int64_t>(
          std::min<std::uint64_t>(value.get_uint64().value_unsafe(), kMax));
    case simdjson::dom::element_type::DOUBLE: {
      // Casting a double outside int64's range is undefined: clamp first.
      const double seconds = std::trunc(value.get_double().value_unsafe());
      if (seconds >= 0x1p63) return kMax;
      if (seconds < -0x1p63) return std::numeric_limits<std::int64_t>::min();
      return static_cast<std::int64_t>(seconds);
    }
    default:
      return std::nullopt;
  }
}

}  // namespace ttb::teamtailor
