// The provider key Teamtailor sends as `Authorization: Bearer ...`: a HS256 JWT or a legacy
// activation token (core/teamtailor/provider_key.h, read_provider_key).
// Input: the whole Authorization header value.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_support.h"
#include "teamtailor/crypto.h"
#include "teamtailor/provider_key.h"

namespace tt = ttb::teamtailor;

namespace {

// The text after a leading "Bearer" and a blank; empty without that scheme, or when the text
// holds a space or control.
std::string_view credential_of(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer";
  std::string_view rest = authorization;
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
  if (rest.size() >= kScheme.size()) {
    bool scheme = true;
    for (std::size_t i = 0; i < kScheme.size(); ++i) {
      scheme = scheme && (rest[i] | 0x20) == kScheme[i];
    }
    if (!scheme) return {};
    rest.remove_prefix(kScheme.size());
    if (rest.empty() || (rest.front() != ' ' && rest.front() != '\t')) return {};
  } else {
    return {};
  }
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
  while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t')) rest.remove_suffix(1);
  for (unsigned char c : rest) {
    if (c <= 0x20 || c == 0x7f) return {};
  }
  return rest;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view authorization = ttb::fuzz::as_text(data, size);
  constexpr std::string_view kApiKey = "partner-api-key";
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000));

  const tt::ProviderKey key = tt::read_provider_key(authorization, kApiKey, now);
  // The unverified claim that picks a connection's key: whatever it is, a key that verifies
  // must name the same token, or the key check would look at one tenant and admit another.
  const std::optional<std::string> claimed = tt::claimed_activation_token(authorization);
  if (key.ok) TTB_FUZZ_CHECK(claimed && *claimed == key.activation_token);
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
    // The reason is safe to return: it never repeats the credential. Only a credential without
    // spaces is checked: words of the fixed reasons ("credential contains spaces or") are not an
    // echo.
    const std::string_view credential = credential_of(authorization);
    if (credential.size() >= 8) TTB_FUZZ_CHECK(key.error.find(credential) == std::string::npos);
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
