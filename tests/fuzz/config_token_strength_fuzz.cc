// How strong an activation token is (core/config/token_strength.h, token_bits) on any text,
// against a count of its own: a token measured as kMinTokenBits or more really holds that many
// characters of its encoding (32 hex digits, or 22 base64url characters), whatever dashes or
// padding surround them. Input: the token.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "config/token_strength.h"
#include "fuzz_support.h"

namespace config = ttb::config;

namespace {

bool is_hex_digit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool is_base64url(char c) {
  return is_hex_digit(c) || (c >= 'g' && c <= 'z') || (c >= 'G' && c <= 'Z') || c == '-' ||
         c == '_';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view token = ttb::fuzz::as_text(data, size);
  const std::optional<int> bits = config::token_bits(token);

  // The characters by class, counted here independently of the measure.
  std::size_t hex_digits = 0;
  std::size_t dashes = 0;
  std::size_t base64url = 0;
  std::size_t other = 0;
  for (char c : token) {
    if (is_hex_digit(c)) ++hex_digits;
    if (c == '-') ++dashes;
    if (is_base64url(c)) {
      ++base64url;
    } else if (c != '=') {
      ++other;
    }
  }
  const std::size_t body = token.find_last_not_of('=') + 1;  // 0 when only padding (npos + 1)
  const bool padding_only_at_end = token.substr(0, body).find('=') == std::string_view::npos;
  const bool hex = hex_digits > 0 && hex_digits + dashes == token.size();
  const bool b64 = body > 0 && other == 0 && padding_only_at_end;

  TTB_FUZZ_CHECK(bits.has_value() == (hex || b64));
  if (!bits) return 0;
  TTB_FUZZ_CHECK(*bits > 0);
  if (hex) {
    TTB_FUZZ_CHECK(static_cast<std::size_t>(*bits) == 4 * hex_digits);
  } else {
    TTB_FUZZ_CHECK(static_cast<std::size_t>(*bits) == 6 * base64url);
    TTB_FUZZ_CHECK(base64url == body);
  }
  if (*bits >= config::kMinTokenBits) TTB_FUZZ_CHECK(hex ? hex_digits >= 32 : base64url >= 22);
  // Padding and dashes never add strength.
  TTB_FUZZ_CHECK(*bits <= 6 * static_cast<int>(token.size()));
  return 0;
}
