#include "config/teamtailor_settings.h"

#include <algorithm>

#include <fmt/format.h>

#include "config/checks.h"

namespace ttb::config {

std::optional<TeamtailorConnection> TeamtailorSettings::connection(std::string_view name) const {
  if (name.empty() || name == kDefaultConnection) {
    return TeamtailorConnection{kDefaultConnection, api_url, api_key, webhook_secret};
  }
  for (const TeamtailorConnection& c : connections) {
    if (c.name == name) return c;
  }
  return std::nullopt;
}

std::vector<TeamtailorConnection> TeamtailorSettings::all_connections() const {
  std::vector<TeamtailorConnection> all{*connection(kDefaultConnection)};
  all.insert(all.end(), connections.begin(), connections.end());
  return all;
}

namespace {

std::optional<TeamtailorConnection> read_connection(Document& doc, ValueReader& values,
                                                    const YAML::Node& key, const YAML::Node& value,
                                                    const std::string& path) {
  const std::size_t problems_before = doc.problem_count();
  TeamtailorConnection out;
  out.name = key.Scalar();
  if (!is_valid_name(out.name)) {
    doc.report(key.Mark(), fmt::format("{}: '{}' is not a valid connection name; use {}", path,
                                       out.name, kNameRule));
  } else if (out.name == kDefaultConnection) {
    doc.report(key.Mark(),
               fmt::format("{}: the name '{}' is taken by the top-level teamtailor keys; give "
                           "this connection another name, e.g. na",
                           path, kDefaultConnection));
  }
  MapView map(doc, value, key.Mark(), path, {"api_url", "api_key", "webhook_secret"});
  if (!map.is_map()) return std::nullopt;
  if (const Entry* e =
          map.require("api_url", "api_url: \"https://api.na.teamtailor.com/partner/v1\"")) {
    if (auto url = values.text(*e,
                               "an http(s) URL, e.g. "
                               "\"https://api.na.teamtailor.com/partner/v1\"")) {
      if (!is_http_url(*url)) {
        doc.report(e->value_mark(),
                   fmt::format("{} '{}' is not an http:// or https:// URL; write e.g. "
                               "\"https://api.na.teamtailor.com/partner/v1\"",
                               e->path, shown(*e)));
      } else {
        while (url->size() > 1 && url->back() == '/') url->pop_back();
        out.api_url = std::move(*url);
      }
    }
  }
  if (const Entry* e = map.require("api_key", "api_key: \"${env:TTBRIDGE_TT_NA_API_KEY}\"")) {
    if (auto secret = values.secret(*e)) out.api_key = std::move(*secret);
  }
  if (const Entry* e = map.require("webhook_secret",
                                   "webhook_secret: \"${env:TTBRIDGE_TT_NA_WEBHOOK_SECRET}\"")) {
    if (auto secret = values.secret(*e)) out.webhook_secret = std::move(*secret);
  }
  if (doc.problem_count() != problems_before) return std::nullopt;
  return out;
}

}  // namespace

void read_connections(Document& doc, ValueReader& values, const Entry& entry,
                      std::vector<TeamtailorConnection>& connections,
                      std::vector<std::string>& broken) {
  if (!entry.value.IsDefined() || entry.value.IsNull()) return;  // "connections:" = none
  if (!entry.value.IsMap()) {
    doc.report(entry.value_mark(),
               fmt::format("{}: expected a map of connections by name (\"na: {{ api_url: ... "
                           "}}\"), got {}",
                           entry.path, describe(entry.value)));
    return;
  }
  for (auto it = entry.value.begin(); it != entry.value.end(); ++it) {
    if (!it->first.IsScalar()) {
      doc.report(it->first.Mark(), fmt::format("a key in {} is {}; name each connection, e.g. na",
                                               entry.path, describe(it->first)));
      continue;
    }
    const std::string path = child_path(entry.path, it->first.Scalar());
    bool repeated = std::ranges::find(broken, it->first.Scalar()) != broken.end();
    for (const TeamtailorConnection& c : connections)
      repeated = repeated || c.name == it->first.Scalar();
    if (repeated) {
      doc.report(it->first.Mark(), fmt::format("connection '{}' in {} is repeated; keep only one",
                                               it->first.Scalar(), entry.path));
      continue;
    }
    if (auto connection = read_connection(doc, values, it->first, it->second, path)) {
      connections.push_back(std::move(*connection));
    } else {
      broken.push_back(it->first.Scalar());
    }
  }
}

}  // namespace ttb::config
