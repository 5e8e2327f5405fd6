#pragma once
// The provider's `config` object from the tenant file, parsed and checked once at create().
// Errors name the offending setting but never echo its value (the token and the callback secret
// are secrets).

#include <string>
#include <string_view>

namespace ttb::codility {

inline constexpr const char* kDefaultBaseUrl = "https://codility.com/api";
inline constexpr std::size_t kMinCallbackSecretLength = 16;

struct Config {
  std::string api_token;                   // required; sent as `Authorization: Bearer <token>`
  std::string base_url = kDefaultBaseUrl;  // no trailing '/'; tests point it at the fake
  // The key of the per-order callback tokens (callback_token.h). Optional: without it the key is
  // derived from api_token, so rotating the token would orphan the callbacks of open orders
  // (polling still finishes them).
  std::string callback_secret;
};

// Throws sdk::Error(TTB_STATUS_INVALID, "...") naming the bad setting. Unknown keys are
// ignored, so a newer tenant file still loads in an older plugin.
Config parse_config(std::string_view config_json);

// ABI 1.1 descriptor members: the JSON text of the config schema (every setting above, with
// its type, default and meaning) and of a sample config that needs no network. Static strings.
const char* config_schema() noexcept;
const char* sample_config() noexcept;

}  // namespace ttb::codility
