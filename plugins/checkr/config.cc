// Parses the provider config strictly: an unknown key is most often a typo ("scroe"), and a
// silently ignored setting is harder for an operator to find than a refused one.

#include "config.h"

#include <nlohmann/json.hpp>

namespace ttb::checkr {
namespace {

using nlohmann::json;

constexpr const char* kKnownKeys[] = {"api_key", "webhook_key", "base_url", "work_location",
                                      "node",    "tags",        "score",    "report_url_template"};

bool is_known(const std::string& key) {
  for (const char* k : kKnownKeys)
    if (key == k) return true;
  return false;
}

bool is_http_url(const std::string& s) {
  return (s.rfind("https://", 0) == 0 && s.size() > 8) ||
         (s.rfind("http://", 0) == 0 && s.size() > 7);
}

// Reads an optional string member; false (with `error` set) when present but not a string.
bool read_string(const json& obj, const char* key, const std::string& where, std::string& out,
                 std::string& error) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return true;
  if (!it->is_string()) {
    error = "checkr config: `" + where + key + "` must be a string";
    return false;
  }
  out = it->get<std::string>();
  return true;
}

ConfigResult fail(std::string message) {
  return ConfigResult{std::nullopt, std::move(message)};
}

}  // namespace

ConfigResult parse_config(std::string_view text) {
  json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object())
    return fail("checkr config: the provider `config` must be an object with at least `api_key`");

  for (const auto& [key, value] : doc.items()) {
    (void)value;
    if (!is_known(key))
      return fail("checkr config: unknown setting `" + key +
                  "` (known: api_key, webhook_key, base_url, work_location, node, tags, score, "
                  "report_url_template)");
  }

  Config c;
  std::string error;
  if (!read_string(doc, "api_key", "", c.api_key, error)) return fail(error);
  if (c.api_key.empty())
    return fail("checkr config: `api_key` is required (Checkr secret API key)");
  if (!read_string(doc, "webhook_key", "", c.webhook_key, error)) return fail(error);
  if (c.webhook_key.empty()) c.webhook_key = c.api_key;

  if (!read_string(doc, "base_url", "", c.base_url, error)) return fail(error);
  while (!c.base_url.empty() && c.base_url.back() == '/') c.base_url.pop_back();
  if (!is_http_url(c.base_url))
    return fail(
        "checkr config: `base_url` must be an absolute http(s) URL, e.g. "
        "https://api.checkr.com/v1");

  if (auto it = doc.find("work_location"); it != doc.end() && !it->is_null()) {
    if (!it->is_object())
      return fail("checkr config: `work_location` must be an object {country, state, city}");
    for (const auto& [key, value] : it->items()) {
      (void)value;
      if (key != "country" && key != "state" && key != "city")
        return fail("checkr config: unknown setting `work_location." + key +
                    "` (known: country, state, city)");
    }
    WorkLocation wl;
    if (!read_string(*it, "country", "work_location.", wl.country, error)) return fail(error);
    if (!read_string(*it, "state", "work_location.", wl.state, error)) return fail(error);
    if (!read_string(*it, "city", "work_location.", wl.city, error)) return fail(error);
    if (wl.country.empty()) wl.country = "US";
    if (wl.country.size() != 2)
      return fail("checkr config: `work_location.country` must be a two-letter ISO country code");
    if (wl.country == "US" && wl.state.empty())
      return fail("checkr config: `work_location.state` is required when the country is US");
    c.work_location = wl;
  }

  if (!read_string(doc, "node", "", c.node, error)) return fail(error);

  if (auto it = doc.find("tags"); it != doc.end() && !it->is_null()) {
    if (!it->is_array()) return fail("checkr config: `tags` must be a list of strings");
    for (const auto& tag : *it) {
      if (!tag.is_string() || tag.get<std::string>().empty())
        return fail("checkr config: `tags` must be a list of non-empty strings");
      c.tags.push_back(tag.get<std::string>());
    }
  }

  std::string score = "none";
  if (!read_string(doc, "score", "", score, error)) return fail(error);
  if (score == "none" || score.empty()) {
    c.score = ScoreMode::none;
  } else if (score == "binary") {
    c.score = ScoreMode::binary;
  } else if (score == "assessment") {
    c.score = ScoreMode::assessment;
  } else {
    return fail("checkr config: `score` must be one of none, binary, assessment");
  }

  if (!read_string(doc, "report_url_template", "", c.report_url_template, error))
    return fail(error);
  if (!c.report_url_template.empty() &&
      (!is_http_url(c.report_url_template) ||
       c.report_url_template.find("{report_id}") == std::string::npos))
    return fail(
        "checkr config: `report_url_template` must be an http(s) URL containing {report_id}");

  return ConfigResult{std::move(c), {}};
}

}  // namespace ttb::checkr
