#pragma once
// Reading optional string fields of plugin JSON with a clear message when the type is wrong.
// Internal to orders/.

#include <nlohmann/json.hpp>
#include <string>

namespace ttb::orders {

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
