#pragma once
// The host's rule for a test id in list_tests' answer, for a plugin to apply before it answers.
// The host refuses the whole list when one id breaks it (and keeps showing the last good list), so
// a plugin skips a vendor's test whose id breaks it instead of passing it on: one odd test then
// costs only itself. Header-only, standard library only.

#include <cstddef>
#include <string_view>

namespace ttb::sdk {

// Teamtailor shows a test as "<provider>:<id>" in a field of at most 256 characters; 200 bytes
// leave room for the provider's name.
inline constexpr std::size_t kMaxTestIdBytes = 200;

// True for an id the host accepts: 1 to kMaxTestIdBytes bytes, none of them a control character
// (below 0x20, or 0x7f).
//   if (!ttb::sdk::is_valid_test_id(id)) continue;  // before tests.push_back(...)
inline bool is_valid_test_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > kMaxTestIdBytes) return false;
  for (const char c : id) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) return false;
  }
  return true;
}

}  // namespace ttb::sdk
