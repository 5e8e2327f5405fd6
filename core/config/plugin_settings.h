#pragma once
// Reads `plugins.confinement:` of the main config (docs/configuration.md, "plugins"). Internal
// to ttb_config.

#include "config/document.h"
#include "config/settings.h"
#include "config/values.h"

namespace ttb::config {

// The keys a `plugins.confinement:` map may hold.
std::vector<std::string_view> plugin_confinement_keys();

// Reads the map into `confinement`, setting only the fields written there. A `user` is resolved
// to its uid and gid here, so `ttbridge config check` names a user this machine does not know.
void read_plugin_confinement(Document& doc, ValueReader& values, const MapView& map,
                             PluginConfinement& confinement);

}  // namespace ttb::config
