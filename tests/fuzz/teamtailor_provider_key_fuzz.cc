// The provider key Teamtailor sends as `Authorization: Bearer ...`: a HS256 JWT or a legacy
// activation token (core/teamtailor/provider_key.h, read_provider_key).
// Input: the whole Authorization header value.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_support.h"
#include "teamtailor/crypto.h"
#include "teamtailor/provider_key.h"

namespace tt = ttb::teamtailor;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view authorization = ttb::fuzz::as_text(data, size);
  constexpr std::string_view kApiKey = "partner-api-key";
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000));

  const tt::ProviderKey key = tt::read_provider_key(authorization, kApiKey, now);
  if (key.ok) {
    TTB_FUZZ_CHECK(!key.activation_token.empty());
    TTB_FUZZ_CHECK(key.activation_token.size() <= authorization.size());
    TTB_FUZZ_CHECK(key.error.empty());
    if (!key.from_jwt) {
      for (unsigned char c : key.activation_token) TTB_FUZZ_CHECK(c > 0x20 && c != 0x7f);
    }
  } else {
    TTB_FUZZ_CHECK(!key.error.empty());
    TTB_FUZZ_CHECK(key.activation_token.empty());
    // The reason is safe to return: it never repeats the credential.
    if (authorization.size() >= 16) {
      TTB_FUZZ_CHECK(key.error.find(authorization) == std::string::npos);
    }
  }

  // A JWT Teamtailor would build for this input (as a hex token) reads back as that token.
  const std::string token = tt::to_hex(authorization.substr(0, 64));
  if (!token.empty()) {
    const nlohmann::json claims = {{std::string(tt::kActivationTokenClaim), token},
                                   {"exp", 1700000000 + 600}};
    const tt::ProviderKey round =
        tt::read_provider_key("Bearer " + tt::make_jwt_hs256(claims, kApiKey), kApiKey, now);
    TTB_FUZZ_CHECK(round.ok && round.from_jwt && round.activation_token == token);
    const tt::ProviderKey forged =
        tt::read_provider_key("Bearer " + tt::make_jwt_hs256(claims, "wrong key"), kApiKey, now);
    TTB_FUZZ_CHECK(!forged.ok);
  }
  return 0;
}
