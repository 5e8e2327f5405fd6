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

}  // namespace ttb::example
