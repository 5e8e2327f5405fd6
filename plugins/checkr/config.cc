// Parses the provider config strictly: an unknown key is most often a typo ("scroe"), and a
// silently ignored setting is harder for an operator to find than a refused one.

#include "config.h"

#include <nlohmann/json.hpp>

#include "ttbridge/plugin.hpp"
#include "ttbridge/url.hpp"

namespace ttb::checkr {
namespace {

using nlohmann::json;

constexpr const char* kKnownKeys[] = {"api_key",       "webhook_key", "base_url",
                                      "work_location", "node",        "tags",
                                      "job_tags",      "score",       "report_url_template"};

bool is_known(const std::string& key) {
  for (const char* k : kKnownKeys)
    if (key == k) return true;
  return false;
}

[[noreturn]] void fail(const std::string& message) {
  throw sdk::Error(TTB_STATUS_INVALID, message);
}

// Reads an optional string member into `out`; a member that is present but not a string fails.
void read_string(const json& obj, const char* key, const std::string& where, std::string& out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return;
  if (!it->is_string()) fail("checkr config: `" + where + key + "` must be a string");
  out = it->get<std::string>();
}

}  // namespace

Config parse_config(std::string_view text) {
  json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object())
    fail("checkr config: the provider `config` must be an object with at least `api_key`");

  for (const auto& [key, value] : doc.items()) {
    (void)value;
    if (!is_known(key))
      fail("checkr config: unknown setting `" + key +
           "` (known: api_key, webhook_key, base_url, work_location, node, tags, job_tags, "
           "score, report_url_template)");
  }

  Config c;
  read_string(doc, "api_key", "", c.api_key);
  if (c.api_key.empty()) fail("checkr config: `api_key` is required (Checkr secret API key)");
  read_string(doc, "webhook_key", "", c.webhook_key);
  if (c.webhook_key.empty()) c.webhook_key = c.api_key;

  read_string(doc, "base_url", "", c.base_url);
  while (!c.base_url.empty() && c.base_url.back() == '/') c.base_url.pop_back();
  if (!sdk::is_http_url(c.base_url))
    fail(
        "checkr config: `base_url` must be an absolute http(s) URL, e.g. "
        "https://api.checkr.com/v1");

  if (auto it = doc.find("work_location"); it != doc.end() && !it->is_null()) {
    if (!it->is_object())
      fail("checkr config: `work_location` must be an object {country, state, city}");
    for (const auto& [key, value] : it->items()) {
      (void)value;
      if (key != "country" && key != "state" && key != "city")
        fail("checkr config: unknown setting `work_location." + key +
             "` (known: country, state, city)");
    }
    WorkLocation wl;
    read_string(*it, "country", "work_location.", wl.country);
    read_string(*it, "state", "work_location.", wl.state);
    read_string(*it, "city", "work_location.", wl.city);
    if (wl.country.empty()) wl.country = "US";
    if (wl.country.size() != 2)
      fail("checkr config: `work_location.country` must be a two-letter ISO country code");
    if (wl.country == "US" && wl.state.empty())
      fail("checkr config: `work_location.state` is required when the country is US");
    c.work_location = wl;
  }

  read_string(doc, "node", "", c.node);

  if (auto it = doc.find("tags"); it != doc.end() && !it->is_null()) {
    if (!it->is_array()) fail("checkr config: `tags` must be a list of strings");
    for (const auto& tag : *it) {
      if (!tag.is_string() || tag.get<std::string>().empty())
        fail("checkr config: `tags` must be a list of non-empty strings");
      c.tags.push_back(tag.get<std::string>());
    }
  }

  if (auto it = doc.find("job_tags"); it != doc.end() && !it->is_null()) {
    if (!it->is_boolean()) fail("checkr config: `job_tags` must be true or false");
    c.job_tags = it->get<bool>();
  }

  std::string score = "none";
  read_string(doc, "score", "", score);
  if (score == "none" || score.empty()) {
    c.score = ScoreMode::none;
  } else if (score == "binary") {
    c.score = ScoreMode::binary;
  } else if (score == "assessment") {
    c.score = ScoreMode::assessment;
  } else {
    fail("checkr config: `score` must be one of none, binary, assessment");
  }

  read_string(doc, "report_url_template", "", c.report_url_template);
  if (!c.report_url_template.empty() &&
      (!sdk::is_http_url(c.report_url_template) ||
       c.report_url_template.find("{report_id}") == std::string::npos))
    fail("checkr config: `report_url_template` must be an http(s) URL containing {report_id}");

  return c;
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
   "description": "The account's **secret** API key (Checkr dashboard: *Account settings → Developer settings*). Sent as HTTP Basic user name with an empty password; also the key of the webhook signature. Never logged."
  },
  "webhook_key": {
   "type": "string",
   "secret": true,
   "description": "Key of `X-Checkr-Signature`; defaults to `api_key`. Only partner (OAuth) integrations need it: there Checkr signs with the partner app's client secret."
  },
  "base_url": {
   "type": "string",
   "default": "https://api.checkr.com/v1",
   "description": "`https://api.checkr-staging.com/v1` for Checkr's free staging (fake data, outcomes driven by Checkr's mocked-candidate sheet, invitations never expire). Tests point it at the fake."
  },
  "work_location": {
   "type": "object",
   "description": "Sent with every invitation. Required by Checkr on accounts with a hierarchy.",
   "properties": {
    "country": {
     "type": "string",
     "default": "US",
     "description": "ISO 3166 two-letter country code."
    },
    "state": {
     "type": "string",
     "description": "Required for the US, since state law decides what may be reported."
    },
    "city": {
     "type": "string",
     "description": "The city of the work location."
    }
   }
  },
  "node": {
   "type": "string",
   "description": "The `custom_id` of the account node the checks are billed to. Required on accounts with nodes."
  },
  "tags": {
   "type": "array",
   "description": "Strings added to every invitation (visible and searchable in Checkr's dashboard)."
  },
  "job_tags": {
   "type": "boolean",
   "default": false,
   "description": "Also tag each invitation with the Teamtailor job's title and the candidate's stage (when Teamtailor gives one), so the dashboard can be filtered by job."
  },
  "score": {
   "type": "string",
   "enum": [
    "none",
    "binary",
    "assessment"
   ],
   "default": "none",
   "description": "Checkr has no numeric score, so by default the result card shows none. `binary`: clear → 100, consider → 0. `assessment` (accounts with Checkr Assess): eligible → 100, review → 50, escalated → 0. The score is set only when the report is complete."
  },
  "report_url_template": {
   "type": "string",
   "description": "Checkr's API gives no link to a human-readable report. With a template, the card links to it, `{report_id}` replaced. Without, the card has no report link (the PDF attachment is the report)."
  }
 }
})json";
}

const char* sample_config() noexcept {
  return R"json({"api_key":"sk_test_sample","base_url":"http://127.0.0.1:9/v1"})json";
}

}  // namespace ttb::checkr
