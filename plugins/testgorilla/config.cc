#include "config.h"

#include <nlohmann/json.hpp>

#include "ttbridge/plugin.hpp"
#include "ttbridge/url.hpp"

namespace ttb::testgorilla {
namespace {

using nlohmann::json;

[[noreturn]] void bad(const std::string& message) {
  throw sdk::Error(TTB_STATUS_INVALID, "testgorilla config: " + message);
}

// A string setting, "" when absent or null. A token or user name with spaces or control
// characters would split the header it goes into; a password only travels in a JSON body, so
// only control characters are refused there.
std::string text_setting(const json& config, const char* key, bool spaces_allowed) {
  auto it = config.find(key);
  if (it == config.end() || it->is_null()) return {};
  if (!it->is_string() || it->get_ref<const std::string&>().empty())
    bad(std::string("`") + key + "` must be a non-empty string");
  std::string value = it->get<std::string>();
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || (u == ' ' && !spaces_allowed))
      bad(std::string("`") + key + "` contains " +
          (spaces_allowed ? "control characters" : "whitespace or control characters"));
  }
  return value;
}

}  // namespace

Config parse_config(std::string_view config_json) {
  json config = json::parse(config_json, nullptr, /*allow_exceptions=*/false);
  if (config.is_discarded() || !config.is_object())
    bad("the provider config must be a JSON object");

  Config s;
  s.api_token = text_setting(config, "api_token", false);
  s.username = text_setting(config, "username", false);
  s.password = text_setting(config, "password", true);
  if (s.api_token.empty() && (s.username.empty() || s.password.empty()))
    bad("either `api_token` or both `username` and `password` are required (TestGorilla API "
        "access is given by TestGorilla's support)");
  if (!s.username.empty() != !s.password.empty()) bad("`username` and `password` go together");

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

  if (auto t = config.find("report_url_template"); t != config.end() && !t->is_null()) {
    if (!t->is_string()) bad("`report_url_template` must be a string");
    s.report_url_template = t->get<std::string>();
    if (!s.report_url_template.empty() && !sdk::is_http_url(s.report_url_template))
      bad("`report_url_template` must be an http:// or https:// URL, or \"\"");
  }
  return s;
}

// The config schema (docs/plugin-abi.md, "Config schema") and a sample config the conformance kit
// creates the plugin with; the config table of the plugin's doc is generated from the schema.
const char* config_schema() noexcept {
  return R"json({
 "type": "object",
 "properties": {
  "api_token": {
   "type": "string",
   "secret": true,
   "description": "Give either this or `username` and `password`. A TestGorilla API token, sent as `Authorization: Token <token>`; never logged. API access depends on the TestGorilla plan, and TestGorilla's support hands out the credentials."
  },
  "username": {
   "type": "string",
   "description": "With `password`, instead of `api_token`: a TestGorilla user for the API (TestGorilla recommends a user of its own). The plugin logs in at `POST /profiles/login/` on its first call, keeps the token for the provider, and logs in again once after a `401` (TestGorilla's tokens expire an hour after their last use)."
  },
  "password": {
   "type": "string",
   "secret": true,
   "description": "The password of `username`."
  },
  "base_url": {
   "type": "string",
   "default": "https://app.testgorilla.com/api",
   "description": "The API root. Tests point it at the fake (`tests/fakes/testgorilla`)."
  },
  "send_email": {
   "type": "boolean",
   "default": true,
   "description": "`false` invites with `?no_email=true`: TestGorilla sends no e-mail and the recruiter shares the link."
  },
  "report_url_template": {
   "type": "string",
   "default": "https://app.testgorilla.com/customer/assessments/{assessment_id}/candidates/{candidature_id}",
   "description": "The card's report link; `{assessment_id}`, `{candidature_id}`, `{test_taker_id}` are filled in. `\"\"` for no link."
  }
 }
})json";
}

const char* sample_config() noexcept {
  return R"json({"api_token":"sample-token","base_url":"http://127.0.0.1:9/api"})json";
}

}  // namespace ttb::testgorilla
