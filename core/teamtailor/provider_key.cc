#include "teamtailor/provider_key.h"

#include <optional>

#include "teamtailor/crypto.h"
#include "teamtailor/json_dom.h"
#include "teamtailor/text.h"

namespace ttb::teamtailor {

namespace {

// Teamtailor's clock and ours may differ a little; exp/nbf get this much slack.
constexpr std::chrono::seconds kClockLeeway{60};
constexpr std::size_t kMaxCredentialBytes = 8192;

ProviderKey failure(std::string reason) {
  ProviderKey key;
  key.error = std::move(reason);
  return key;
}

bool is_base64url_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

// Three parts separated by exactly two dots, each made of base64url characters. The signature
// part may be empty (what an `alg: none` token looks like), so such tokens still count as JWTs
// and are refused rather than taken for legacy keys.
bool looks_like_jwt(std::string_view value) {
  int dots = 0;
  for (char c : value) {
    if (c == '.') {
      ++dots;
    } else if (!is_base64url_char(c)) {
      return false;
    }
  }
  if (dots != 2) return false;
  auto first = value.find('.');
  auto second = value.find('.', first + 1);
  return first > 0 && second > first + 1;
}

// A JWT part decoded and parsed into `parser`, which the object points into; nothing when the part
// is not base64url of a JSON object.
std::optional<simdjson::dom::object> decode_json_part(simdjson::dom::parser& parser,
                                                      std::string_view part) {
  auto bytes = base64url_decode(part);
  if (!bytes) return std::nullopt;
  simdjson::dom::object object;
  if (parser.parse(bytes->data(), bytes->size()).get(object) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return object;
}

std::optional<std::int64_t> numeric_date(const simdjson::dom::object& claims, std::string_view name,
                                         bool& invalid) {
  const auto value = last_member(claims, name);
  if (!value) return std::nullopt;
  const auto seconds = whole_seconds(*value);
  if (!seconds) invalid = true;
  return seconds;
}

// The member `name` when it is a string; nothing otherwise.
std::optional<std::string_view> string_member(const simdjson::dom::object& object,
                                              std::string_view name) {
  const auto value = last_member(object, name);
  if (!value || !value->is_string()) return std::nullopt;
  return value->get_string().value_unsafe();
}

ProviderKey verify_jwt(std::string_view token, std::string_view partner_api_key,
                       std::chrono::system_clock::time_point now) {
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  const std::string_view header_part = token.substr(0, first);
  const std::string_view payload_part = token.substr(first + 1, second - first - 1);
  const std::string_view signature_part = token.substr(second + 1);

  simdjson::dom::parser header_parser;
  auto header = decode_json_part(header_parser, header_part);
  if (!header) return failure("provider key JWT is malformed (header)");
  if (string_member(*header, "alg") != "HS256") {
    return failure("provider key JWT algorithm is not allowed (only HS256)");
  }
  if (last_member(*header, "crit")) {
    return failure("provider key JWT has critical header extensions we do not understand");
  }
  if (partner_api_key.empty()) {
    return failure("provider key JWT cannot be verified: no partner API key is configured");
  }

  auto signature = base64url_decode(signature_part);
  const std::string signing_input(token.substr(0, second));
  const Sha256Digest expected = hmac_sha256(partner_api_key, signing_input);
  if (!signature || !equal_constant_time(*signature, as_view(expected))) {
    return failure("provider key JWT signature does not match (signed with another API key?)");
  }

  simdjson::dom::parser claims_parser;
  auto claims = decode_json_part(claims_parser, payload_part);
  if (!claims) return failure("provider key JWT is malformed (payload)");

  bool invalid_date = false;
  auto exp = numeric_date(*claims, "exp", invalid_date);
  auto nbf = numeric_date(*claims, "nbf", invalid_date);
  if (invalid_date) return failure("provider key JWT has a non-numeric exp or nbf");
  const auto now_s =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  // The leeway moves `now`, not the claim: a claim near int64's end must not overflow.
  if (exp && now_s - kClockLeeway.count() >= *exp) return failure("provider key JWT has expired");
  if (nbf && now_s + kClockLeeway.count() < *nbf) {
    return failure("provider key JWT is not valid yet");
  }

  const auto claim = string_member(*claims, kActivationTokenClaim);
  if (!claim || claim->empty()) {
    return failure("provider key JWT has no externalTriggerToken claim");
  }
  ProviderKey key;
  key.ok = true;
  key.from_jwt = true;
  key.activation_token = std::string(*claim);
  return key;
}

// The Bearer credential of an Authorization value, or the reason there is none.
std::string_view bearer_credential(std::string_view authorization, std::string& error) {
  authorization = trim(authorization);
  if (authorization.empty()) {
    error = "missing Authorization header";
    return {};
  }
  if (authorization.size() > kMaxCredentialBytes) {
    error = "Authorization header too long";
    return {};
  }
  if (!starts_with_icase(authorization, "Bearer ") &&
      !starts_with_icase(authorization, "Bearer\t")) {
    error = "Authorization is not a Bearer credential";
    return {};
  }
  const std::string_view credential = trim(authorization.substr(7));
  if (credential.empty()) {
    error = "empty Bearer credential";
    return {};
  }
  for (unsigned char c : credential) {
    if (c <= 0x20 || c == 0x7f) {
      error = "Bearer credential contains spaces or controls";
      return {};
    }
  }
  return credential;
}

}  // namespace

std::optional<std::string> claimed_activation_token(std::string_view authorization) {
  std::string error;
  const std::string_view credential = bearer_credential(authorization, error);
  if (credential.empty()) return std::nullopt;
  if (!looks_like_jwt(credential)) return std::string(credential);
  const auto first = credential.find('.');
  const auto second = credential.find('.', first + 1);
  simdjson::dom::parser parser;
  auto claims = decode_json_part(parser, credential.substr(first + 1, second - first - 1));
  if (!claims) return std::nullopt;
  const auto claim = string_member(*claims, kActivationTokenClaim);
  if (!claim) return std::nullopt;
  return std::string(*claim);
}

ProviderKey read_provider_key(std::string_view authorization, std::string_view partner_api_key,
                              std::chrono::system_clock::time_point now) {
  std::string error;
  const std::string_view credential = bearer_credential(authorization, error);
  if (credential.empty()) return failure(std::move(error));

  if (looks_like_jwt(credential)) return verify_jwt(credential, partner_api_key, now);

  ProviderKey key;
  key.ok = true;
  key.activation_token = std::string(credential);
  return key;
}

std::string make_jwt_hs256(const nlohmann::json& claims, std::string_view key,
                           std::string_view alg) {
  const nlohmann::json header = {{"alg", std::string(alg)}, {"typ", "JWT"}};
  // Appended piece by piece, not `"." + ...`: GCC 12 flags that form with a false -Wrestrict at
  // -O3 (GCC bug 105329; docs/toolchain-gcc12-o3.md).
  std::string token = base64url_encode(header.dump());
  token += '.';
  token += base64url_encode(claims.dump());
  const std::string signature =
      alg != "none" ? base64url_encode(as_view(hmac_sha256(key, token))) : std::string();
  token += '.';
  token += signature;
  return token;
}

}  // namespace ttb::teamtailor
