#include "signature.h"

#include <string>

#include "ttbridge/hmac_sha256.hpp"
#include "ttbridge/plugin.hpp"

namespace ttb::checkr {

bool signature_is_valid(std::string_view key, std::string_view raw_body,
                        std::optional<std::string_view> signature_header) {
  if (!signature_header || key.empty()) return false;
  std::string_view received = *signature_header;
  while (!received.empty() && (received.front() == ' ' || received.front() == '\t'))
    received.remove_prefix(1);
  while (!received.empty() && (received.back() == ' ' || received.back() == '\t'))
    received.remove_suffix(1);
  // Lower-casing touches only the attacker's own bytes; the comparison itself is constant-time.
  std::string lowered(received);
  for (char& c : lowered)
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  return sdk::constant_time_equals(sdk::hmac_sha256_hex(key, raw_body), lowered);
}

}  // namespace ttb::checkr
