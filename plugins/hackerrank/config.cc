#include "config.h"

#include <nlohmann/json.hpp>

#include "ttbridge/plugin.hpp"
#include "ttbridge/url.hpp"

namespace ttb::hackerrank {
namespace {

[[noreturn]] void bad(const std::string& message) {
  throw sdk::Error(TTB_STATUS_INVALID, "hackerrank config: " + message);
}

}  // namespace

Config parse_config(std::string_view config_json) {
  nlohmann::json config = nlohmann::json::parse(config_json, nullptr, /*allow_exceptions=*/false);
  if (config.is_discarded() || !config.is_object())
    bad("the provider config must be a JSON object");

  Config s;
  auto key = config.find("api_key");
  if (key == config.end() || key->is_null())
    bad("`api_key` is required (HackerRank Settings -> API)");
  if (!key->is_string() || key->get_ref<const std::string&>().empty())
    bad("`api_key` must be a non-empty string");
  s.api_key = key->get<std::string>();
  // A key with spaces or control characters would split the Authorization header.
  for (char c : s.api_key)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      bad("`api_key` contains whitespace or control characters");

  if (auto url = config.find("base_url"); url != config.end() && !url->is_null()) {
    if (!url->is_string() || !sdk::is_http_url(url->get<std::string>()))
      bad("`base_url` must be an http:// or https:// URL");
    s.base_url = url->get<std::string>();
    while (!s.base_url.empty() && s.base_url.back() == '/') s.base_url.pop_back();
    if (s.base_url.find_first_of("?# ") != std::string::npos)
      bad("`base_url` must not contain a query, a fragment or spaces");
  }

  if (auto send = config.find("send_email"); send != config.end() && !send->is_null()) {
    if (!send->is_boolean()) bad("`send_email` must be true or false");
    s.send_email = send->get<bool>();
  }
  return s;
}

}  // namespace ttb::hackerrank
