// base64url and hex decoding (core/teamtailor/crypto.h), the codecs under the JWT and the
// webhook signature. Input: the text to decode.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "fuzz_support.h"
#include "teamtailor/crypto.h"

namespace tt = ttb::teamtailor;

namespace {

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = ttb::fuzz::as_text(data, size);

  // Encoding any bytes and decoding them gives the bytes back.
  TTB_FUZZ_CHECK(tt::base64url_decode(tt::base64url_encode(text)) == std::string(text));
  TTB_FUZZ_CHECK(tt::from_hex(tt::to_hex(text)) == std::string(text));

  if (const std::optional<std::string> bytes = tt::base64url_decode(text)) {
    // Strict: only the alphabet, no padding; every 4 characters are 3 bytes.
    for (char c : text) {
      TTB_FUZZ_CHECK((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                     c == '-' || c == '_');
    }
    TTB_FUZZ_CHECK(text.size() % 4 != 1);
    TTB_FUZZ_CHECK(bytes->size() == text.size() * 6 / 8);
    TTB_FUZZ_CHECK(tt::base64url_decode(tt::base64url_encode(*bytes)) == *bytes);
  }

  if (const std::optional<std::string> bytes = tt::from_hex(text)) {
    TTB_FUZZ_CHECK(bytes->size() * 2 == text.size());
    const std::string again = tt::to_hex(*bytes);
    TTB_FUZZ_CHECK(again.size() == text.size());
    for (std::size_t i = 0; i < text.size(); ++i) TTB_FUZZ_CHECK(again[i] == lower(text[i]));
  }

  TTB_FUZZ_CHECK(tt::equal_constant_time(text, text));
  return 0;
}
