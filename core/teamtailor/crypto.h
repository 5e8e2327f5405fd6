#pragma once
// The few primitives Teamtailor's protocol needs (HMAC-SHA256, hex, base64url, constant-time
// comparison), on OpenSSL. Used by core/teamtailor, its fakes, the report links' token of
// core/http (report_token.cc) and the activation tokens' digests of core/tenants, which need the
// same primitives; nothing here allocates keys.

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace ttb::teamtailor {

using Sha256Digest = std::array<unsigned char, 32>;

Sha256Digest hmac_sha256(std::string_view key, std::string_view message);
Sha256Digest sha256(std::string_view message);

std::string to_hex(std::string_view bytes);  // lower case
// Accepts upper and lower case; nullopt on odd length or a non-hex character.
std::optional<std::string> from_hex(std::string_view hex);

std::string base64url_encode(std::string_view bytes);  // no padding (RFC 7515 §2)
// Strict: only the base64url alphabet, no padding, no whitespace; nullopt otherwise.
std::optional<std::string> base64url_decode(std::string_view text);

// Compares in time that depends only on the lengths, never on where the bytes differ.
bool equal_constant_time(std::string_view a, std::string_view b);

inline std::string_view as_view(const Sha256Digest& digest) {
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

}  // namespace ttb::teamtailor
