#pragma once
// `teamtailor.connections` in the main config: the partner registrations beyond the default one,
// one per Teamtailor stack a partner is registered on (docs/configuration.md, "Several Teamtailor
// connections"). Internal to ttb_config.

#include <vector>

#include "config/document.h"
#include "config/settings.h"
#include "config/values.h"

namespace ttb::config {

// Each entry: a name (a tenant's `teamtailor_connection`) and a map with the required keys
// api_url, api_key and webhook_secret. Problems are reported into `doc`; the names of entries
// that have any go to `broken`.
void read_connections(Document& doc, ValueReader& values, const Entry& entry,
                      std::vector<TeamtailorConnection>& connections,
                      std::vector<std::string>& broken);

}  // namespace ttb::config
