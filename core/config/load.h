#pragma once
// Entry points: load and validate the main config plus every tenant file, or (on SIGHUP) only
// the tenant files. Expected errors come back as Problems, never as exceptions.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/problem.h"
#include "config/settings.h"

namespace ttb::config {

struct LoadResult {
  std::optional<Config> config;   // set only when there are no problems
  std::vector<Problem> problems;  // in file order; tenant files sorted by name
  bool ok() const { return config.has_value() && problems.empty(); }
};

// Looks up an environment variable; injectable so tests need not touch the process environment.
using Environment = std::function<std::optional<std::string>(const std::string&)>;
Environment process_environment();

LoadResult load_config(const std::filesystem::path& main_file,
                       const Environment& env = process_environment());

// For the CLI's read-only commands (orders, jobs): the main file's `store:` section alone. No
// other section is read and none of its ${env:…}/${file:…} references is resolved, so an unset
// Teamtailor secret or a broken tenant file does not stop them. `main` keeps the defaults except
// `file` and `store`; it is set only when there are no problems.
struct StoreSettingsResult {
  std::optional<MainSettings> main;
  std::vector<Problem> problems;
  bool ok() const { return main.has_value() && problems.empty(); }
};
StoreSettingsResult load_store_settings(const std::filesystem::path& main_file,
                                        const Environment& env = process_environment());

// For SIGHUP: re-reads only the tenant files of an already loaded main config.
struct TenantsResult {
  std::optional<std::vector<TenantSettings>> tenants;  // set only when there are no problems
  std::vector<Problem> problems;
  bool ok() const { return tenants.has_value() && problems.empty(); }
};
TenantsResult load_tenants(const MainSettings& main,
                           const Environment& env = process_environment());

}  // namespace ttb::config
