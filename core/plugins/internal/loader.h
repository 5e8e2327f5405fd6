#pragma once
// Loads plugin shared libraries (Boost.DLL, RTLD_NOW | RTLD_LOCAL), resolves only the entry
// symbol and negotiates the ABI version. Libraries stay loaded for the life of the process.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "ttbridge/plugin.h"

namespace ttb::plugins {

// A plugin whose entry accepted this host. The descriptor is static in the plugin and the
// library is never unloaded, so the pointer stays valid for the life of the process.
struct LoadedPlugin {
  std::filesystem::path path;  // canonical
  const ttb_plugin_descriptor* descriptor = nullptr;
  std::uint16_t abi_minor = 0;  // negotiated: min(host minor, plugin minor)
  std::string id;
  std::string name;
  std::string version;
  // ABI 1.1 descriptor members, copied at load; empty for a 1.0 plugin (or when not given).
  std::string config_schema;  // JSON text
  std::string sample_config;  // JSON text
  std::vector<std::string> actions;
};

struct LoadResult {
  std::shared_ptr<const LoadedPlugin> plugin;  // null on failure
  std::string error;                           // says what failed and names the file
};

// Loads `file` (once per canonical path; later calls reuse the library and ask its entry
// again) and checks the descriptor. A later call whose entry returns the same descriptor at the
// same ABI minor gets the same LoadedPlugin. A file or directory others could change is refused
// before it loads (file_trust.h). The host version is a parameter so tests can play a newer or
// older host. Never throws.
LoadResult load_plugin(const std::filesystem::path& file,
                       std::uint16_t host_abi_major = TTB_ABI_MAJOR,
                       std::uint16_t host_abi_minor = TTB_ABI_MINOR);

}  // namespace ttb::plugins
