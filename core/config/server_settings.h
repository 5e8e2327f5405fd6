#pragma once
// Reads the public listener's connection settings from `server:`: I/O threads, per-connection
// deadlines, connection caps and the optional TLS files. Internal to ttb_config.

#include <string_view>
#include <vector>

#include "config/document.h"
#include "config/settings.h"
#include "config/values.h"

namespace ttb::config {

// The keys of `server:` that read_server_connections reads.
std::vector<std::string_view> server_connection_keys();

// Reads those keys of `map` (the `server:` section) into `server`; an absent key keeps its
// default. `tls:` must name both files, and both must be readable.
void read_server_connections(Document& doc, ValueReader& values, const MapView& map,
                             ServerSettings& server);

}  // namespace ttb::config
