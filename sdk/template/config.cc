#include "config.h"

#include "mapping.h"
#include "ttbridge/plugin.hpp"

namespace ttb::example {
namespace {

// An optional string setting: `fallback` when absent, the error naming it when not a string.
std::string optional_string(const nlohmann::json& doc, const char* key, std::string fallback) {
  auto it = doc.find(key);
  if (it == doc.end() || it->is_null()) return fallback;
  if (!it->is_string())
    throw sdk::Error(TTB_STATUS_INVALID,
                     std::string("the example config: `") + key + "` must be a string");
  return it->get<std::string>();
}

}  // namespace

Config parse_config(std::string_view config_json) {
  nlohmann::json doc = parse_object(config_json, "the example config");
  Config config;
  config.api_key = required_string(doc, "api_key", "the example config");
  config.base_url = optional_string(doc, "base_url", config.base_url);
  while (!config.base_url.empty() && config.base_url.back() == '/') config.base_url.pop_back();
  if (config.base_url.rfind("https://", 0) != 0 && config.base_url.rfind("http://", 0) != 0)
    throw sdk::Error(TTB_STATUS_INVALID, "the example config: `base_url` must be an http(s) URL");
  config.webhook_token = optional_string(doc, "webhook_token", "");
  return config;
}

// The config schema (docs/plugin-abi.md, "Config schema"; installed as
// /usr/share/doc/ttbridge-sdk-dev/plugin-abi.md) and a sample config the conformance kit creates
// the plugin with; the config table of the plugin's doc is generated from the schema.
const char* config_schema() noexcept {
  return R"json({
 "type": "object",
 "required": [
  "api_key"
 ],
 "properties": {
  "api_key": {
   "type": "string",
   "secret": true,
   "description": "The vendor API key, sent as a Bearer token; never logged."
  },
  "base_url": {
   "type": "string",
   "default": "https://api.example.com/v1",
   "description": "The API root, without a trailing `/`. Tests point it at a fake."
  },
  "webhook_token": {
   "type": "string",
   "secret": true,
   "description": "The shared secret the vendor's callbacks carry; without it every callback is refused."
  }
 }
})json";
}

const char* sample_config() noexcept {
  return R"json({"api_key":"sample-key","base_url":"http://127.0.0.1:9/v1"})json";
}

}  // namespace ttb::example
