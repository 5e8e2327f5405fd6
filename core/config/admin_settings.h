#pragma once
// Reads the main config's `admin:` section: where the admin listener listens (host:port, or
// "unix:PATH" for a Unix socket) and the optional token file that guards it. Internal to
// ttb_config.

#include <string_view>
#include <vector>

#include "config/document.h"
#include "config/settings.h"
#include "config/values.h"

namespace ttb::config {

// The keys `admin:` may hold.
std::vector<std::string_view> admin_keys();

// Reads `admin:` into `admin` (an absent section keeps the defaults) and reports an admin address
// that the public listener (`server`, read before) also uses. `server_entry` is the main file's
// `server:` entry (null when absent); a clash with the default admin address is reported at its
// `listen`.
void read_admin(Document& doc, ValueReader& values, const MapView& map, const Entry* server_entry,
                const ServerSettings& server, AdminSettings& admin);

}  // namespace ttb::config
