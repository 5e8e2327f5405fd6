#pragma once
// The config table of a plugin's doc (docs/plugins/<vendor>.md), generated from the plugin's
// config schema (ABI 1.1) so that the doc cannot drift from what the plugin accepts.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace ttb::app {

// The doc's table lies between these two lines; everything between them is generated.
inline constexpr const char* kConfigTableBegin =
    "<!-- config-table: generated from the plugin's config schema by `ttbridge plugin "
    "doc-table`; do not edit -->";
inline constexpr const char* kConfigTableEnd = "<!-- /config-table -->";

// A Markdown table, one row per setting in the schema's order (nested objects as `parent.child`
// rows), with type, required, default and meaning; ends with a newline.
std::string config_table(const nlohmann::ordered_json& schema);

// `doc` with the text between its markers replaced by `table`; nullopt when the markers are
// missing.
std::optional<std::string> with_config_table(const std::string& doc, const std::string& table);

}  // namespace ttb::app
