#pragma once
// A provider's `config` checked against its plugin's config schema (ABI 1.1, the descriptor's
// config_schema) without creating the provider: what `ttbridge config check` runs. The schema
// language is a small JSON-Schema subset, described in docs/plugin-abi.md ("Config schema"):
// type, required, properties, enum, description, default and secret.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/problem.h"

namespace ttb::config {

// What is wrong with `schema` itself (a plugin bug), one message each; empty when it is a valid
// schema of the subset: an object schema whose properties each have a known `type`.
std::vector<std::string> schema_problems(const nlohmann::json& schema);

// Every way `config` breaks `schema`, as problems at `where` (the provider's entry in its tenant
// file) that name the provider and the config key, e.g. "provider checkr: config.api_key is
// required by plugin checkr". Values are never echoed: configs hold secrets.
std::vector<Problem> check_provider_config(const nlohmann::json& schema,
                                           const nlohmann::json& config, const SourceRef& where,
                                           const std::string& provider, const std::string& plugin);

}  // namespace ttb::config
