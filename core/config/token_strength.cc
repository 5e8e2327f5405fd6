#include "config/token_strength.h"

namespace ttb::config {
namespace {

bool is_hex_digit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool is_base64url_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

std::optional<int> hex_bits(std::string_view token) {
  int digits = 0;
  for (char c : token) {
    if (is_hex_digit(c)) {
      ++digits;
    } else if (c != '-') {
      return std::nullopt;
    }
  }
  if (digits == 0) return std::nullopt;
  return 4 * digits;
}

std::optional<int> base64url_bits(std::string_view token) {
  while (!token.empty() && token.back() == '=') token.remove_suffix(1);
  if (token.empty()) return std::nullopt;
  for (char c : token) {
    if (!is_base64url_char(c)) return std::nullopt;
  }
  return 6 * static_cast<int>(token.size());
}

}  // namespace

std::optional<int> token_bits(std::string_view token) {
  // Config files are at most a few MiB, so a token's length fits an int several times over.
  if (auto bits = hex_bits(token)) return bits;
  return base64url_bits(token);
}

}  // namespace ttb::config
