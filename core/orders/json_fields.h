#pragma once
// Reading optional string fields of plugin JSON with a clear message when the type is wrong.
// Internal to orders/.

#include <nlohmann/json.hpp>
#include <string>

namespace ttb::orders {

// Plugin output nests at most this deep: an order update needs 3 or 4 levels, details and
// vendor_state get the rest.
constexpr int kMaxPluginJsonDepth = 64;

// Parses plugin output without ever throwing: a discarded value when the text is not JSON or
// nests deeper than kMaxPluginJsonDepth (refused while parsing, so nothing recurses over it).
inline nlohmann::json parse_plugin_json(const std::string& text) {
  bool too_deep = false;
  auto doc = nlohmann::json::parse(
      text,
      [&too_deep](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
        if (depth > kMaxPluginJsonDepth) too_deep = true;
        return !too_deep;
      },
      false);
  if (too_deep) return nlohmann::json(nlohmann::json::value_t::discarded);
  return doc;
}

// Absent or null → "" (ok). A string → its value. Anything else → false with `error` set.
inline bool string_field(const nlohmann::json& object, const char* key, std::string& out,
                         std::string& error) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    out.clear();
    return true;
  }
  if (it->is_string()) {
    out = it->get<std::string>();
    return true;
  }
  if (it->is_number_integer()) {  // ids are sometimes numbers at the vendor
    out = it->dump();
    return true;
  }
  error = std::string("order update: ") + key + " must be a string";
  return false;
}

}  // namespace ttb::orders
