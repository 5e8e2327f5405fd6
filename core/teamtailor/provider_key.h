#pragma once
// The per-company credential Teamtailor sends as `Authorization: Bearer ...`
// (docs/protocols/teamtailor.md, "Provider key (Bearer JWT)"): a JWT signed HS256 with the partner
// API key whose `externalTriggerToken` claim is the activation token, or (legacy activations,
// default UUIDs) the activation token itself.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ttb::teamtailor {

struct ProviderKey {
  bool ok = false;
  std::string activation_token;  // names the tenant; a secret: never log it
  bool from_jwt = false;
  std::string error;  // when !ok: a short reason, safe to return (never holds the credential)
};

// The claim that carries the activation token (the id of the activation form's field).
inline constexpr std::string_view kActivationTokenClaim = "externalTriggerToken";

// `authorization` is the raw header value, empty when absent. A Bearer value made of three
// dot-separated base64url parts is a JWT and must verify (HS256 only, signature in constant time,
// `exp`/`nbf` against `now`); a JWT that fails is an error, never a fallback to the legacy path.
// Any other Bearer value comes back ok with from_jwt false: whether the tenant accepts such a
// legacy key is the caller's decision (the tenant's `legacy_provider_key`).
ProviderKey read_provider_key(
    std::string_view authorization, std::string_view partner_api_key,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// The activation token a Bearer credential claims, NOT verified: the JWT's claim read without its
// signature, or a legacy key as it is. Only for choosing which connection's API key then verifies
// the credential (docs/configuration.md, "Several Teamtailor connections"); nullopt when the
// header holds no such claim.
std::optional<std::string> claimed_activation_token(std::string_view authorization);

// A compact JWT as Teamtailor builds it. `alg` only names the header's algorithm: the signature is
// always HMAC-SHA256 (empty for "none"), so tests can forge tokens that lie about their algorithm.
std::string make_jwt_hs256(const nlohmann::json& claims, std::string_view key,
                           std::string_view alg = "HS256");

}  // namespace ttb::teamtailor
