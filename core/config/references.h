#pragma once
// Resolves ${env:NAME} and ${file:PATH} inside one YAML scalar. A relative PATH is relative to the
// folder of the YAML file that holds it. `$${` writes a literal `${`. Internal to ttb_config.

#include <optional>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "config/document.h"
#include "config/load.h"

namespace ttb::config {

// Returns the scalar's text with every reference replaced, or nullopt after reporting each bad
// reference at its own line and column. Messages name the reference, never its value.
// `path` names the value in messages ("teamtailor.api_key").
std::optional<std::string> resolve_references(Document& doc, const Environment& env,
                                              const YAML::Node& scalar, std::string_view path);

}  // namespace ttb::config
