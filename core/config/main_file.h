#pragma once
// Reads and validates the main config file (server, teamtailor, store, plugins, tenants).
// Internal to ttb_config.

#include <filesystem>
#include <vector>

#include "config/load.h"

namespace ttb::config {

struct MainFile {
  MainSettings settings;
  bool dirs_known = false;  // plugins.dir and tenants.dir were read, so tenants can be loaded
};

// `store_only`: read only the `store:` section (load_store_settings); the other settings keep
// their defaults and none of their references is resolved.
MainFile read_main_file(const std::filesystem::path& file, const Environment& env,
                        std::vector<Problem>& problems, bool store_only = false);

}  // namespace ttb::config
