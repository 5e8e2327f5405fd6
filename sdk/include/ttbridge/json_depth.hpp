#pragma once
// How deeply a JSON text nests, read without parsing it: the check before parsing a vendor's
// answer or callback. Header-only, standard library only.
//
// Parsing deep JSON is safe with most libraries; walking the tree is not. nlohmann::json's
// dump(), copy and comparison recurse once per level, so a value nested 100,000 deep (200 KB of
// brackets) overflows a thread's stack and kills the process: the plugin host that every tenant
// of the plugin shares, or the daemon itself with isolation "inproc". No vendor API nests near
// that deep, so refuse such a text as one that is not JSON:
//
//   if (ttb::sdk::json_nests_deeper_than(body, ttb::sdk::kMaxVendorJsonDepth))
//     throw ttb::sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE, "Acme's answer is not JSON");
//   nlohmann::json j = nlohmann::json::parse(body, nullptr, false);

#include <cstddef>
#include <string_view>

namespace ttb::sdk {

// Deeper than any vendor's API nests, far short of what a stack holds.
inline constexpr std::size_t kMaxVendorJsonDepth = 64;

// True when objects and arrays nest more than `max_depth` deep anywhere in `text` (brackets
// inside strings do not count). One pass; a text that is not JSON is read as far as it goes.
inline bool json_nests_deeper_than(std::string_view text, std::size_t max_depth) noexcept {
  std::size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '{':
      case '[':
        if (++depth > max_depth) return true;
        break;
      case '}':
      case ']':
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return false;
}

}  // namespace ttb::sdk
