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

  if (auto unit = config.find("cutoff_unit"); unit != config.end() && !unit->is_null()) {
    auto parsed = unit->is_string() ? parse_cutoff_unit(unit->get<std::string>()) : std::nullopt;
    if (!parsed) bad("`cutoff_unit` must be \"points\", \"percent\" or \"off\"");
    s.cutoff_unit = *parsed;
  }
  return s;
}

// The config schema (docs/plugin-abi.md, "Config schema") and a sample config the conformance kit
// creates the plugin with; the config table of the plugin's doc is generated from the schema.
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
   "description": "A HackerRank for Work API key (HackerRank: *Settings → API*). Its user must be able to see the tests and invite candidates. Sent as `Authorization: Bearer <key>`; never logged."
  },
  "base_url": {
   "type": "string",
   "default": "https://www.hackerrank.com/x/api/v3",
   "description": "The v3 API root. Tests point it at the fake (`tests/fakes/hackerrank`)."
  },
  "send_email": {
   "type": "boolean",
   "default": true,
   "description": "Whether HackerRank e-mails the invitation to the candidate. Always sent explicitly: HackerRank's own docs disagree on the default. With `false`, the candidate gets the link only through Teamtailor (the result card's candidate URL)."
  },
  "cutoff_unit": {
   "type": "string",
   "enum": [
    "points",
    "percent",
    "off"
   ],
   "default": "points",
   "description": "How the test's cutoff score is read for the card's pass/fail grade: HackerRank documents `cutoff_score` but not its unit. `points`: compared with the candidate's score (the reading HackerRank's field list supports, beside `max_score`). `percent`: compared with the candidate's percentage. `off`: no grade. A test without a cutoff gives no grade."
  }
 }
})json";
}

const char* sample_config() noexcept {
  return R"json({"api_key":"sample-key","base_url":"http://127.0.0.1:9/x/api/v3"})json";
}

}  // namespace ttb::hackerrank
