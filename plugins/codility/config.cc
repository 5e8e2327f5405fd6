#include "config.h"

#include <nlohmann/json.hpp>

#include "ttbridge/plugin.hpp"
#include "ttbridge/url.hpp"

namespace ttb::codility {
namespace {

[[noreturn]] void bad(const std::string& message) {
  throw sdk::Error(TTB_STATUS_INVALID, "codility config: " + message);
}

bool has_space_or_control(const std::string& s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return true;
  return false;
}

}  // namespace

Config parse_config(std::string_view config_json) {
  nlohmann::json config = nlohmann::json::parse(config_json, nullptr, /*allow_exceptions=*/false);
  if (config.is_discarded() || !config.is_object())
    bad("the provider config must be a JSON object");

  Config s;
  auto token = config.find("api_token");
  if (token == config.end() || token->is_null())
    bad("`api_token` is required (Codility: My Account -> Integrations -> create an Application)");
  if (!token->is_string() || token->get_ref<const std::string&>().empty())
    bad("`api_token` must be a non-empty string");
  s.api_token = token->get<std::string>();
  // A token with spaces or control characters would split the Authorization header.
  if (has_space_or_control(s.api_token))
    bad("`api_token` contains whitespace or control characters");

  if (auto url = config.find("base_url"); url != config.end() && !url->is_null()) {
    if (!url->is_string() || !sdk::is_http_url(url->get<std::string>()))
      bad("`base_url` must be an http:// or https:// URL");
    s.base_url = url->get<std::string>();
    while (!s.base_url.empty() && s.base_url.back() == '/') s.base_url.pop_back();
    if (s.base_url.find_first_of("?# ") != std::string::npos)
      bad("`base_url` must not contain a query, a fragment or spaces");
  }

  if (auto secret = config.find("callback_secret"); secret != config.end() && !secret->is_null()) {
    if (!secret->is_string()) bad("`callback_secret` must be a string");
    s.callback_secret = secret->get<std::string>();
    if (s.callback_secret.size() < kMinCallbackSecretLength)
      bad("`callback_secret` must be at least " + std::to_string(kMinCallbackSecretLength) +
          " characters long");
  }
  return s;
}

// The config schema (docs/plugin-abi.md, "Config schema") and a sample config the conformance kit
// creates the plugin with; the config table of the plugin's doc is generated from the schema.
const char* config_schema() noexcept {
  return R"json({
 "type": "object",
 "required": [
  "api_token"
 ],
 "properties": {
  "api_token": {
   "type": "string",
   "secret": true,
   "description": "A Codility API access token (Codility: *My Account → Integrations → create an Application*). It gives full access to the account. Sent as `Authorization: Bearer <token>`; never logged."
  },
  "callback_secret": {
   "type": "string",
   "secret": true,
   "description": "Recommended. The key of the per-order callback tokens (below), at least 16 characters; e.g. `openssl rand -hex 32`. Without it the key is derived from `api_token`, so rotating the token makes the callback URLs of open orders invalid (those orders then finish through polling only). Changing it has the same effect."
  },
  "base_url": {
   "type": "string",
   "default": "https://codility.com/api",
   "description": "The API root. Tests point it at the fake (`tests/fakes/codility`)."
  }
 }
})json";
}

const char* sample_config() noexcept {
  return R"json({"api_token":"sample-token","base_url":"http://127.0.0.1:9/api"})json";
}

}  // namespace ttb::codility
