#pragma once
// What the `ttbridge teamtailor` commands share: choosing the Teamtailor connections a command
// talks to (--connection NAME, else all of them) and the options every one of them takes.

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "app/cli_command.h"
#include "config/settings.h"

namespace ttb::app::cli {

struct TeamtailorOptions {
  CommonOptions common;
  std::string connection;  // empty: every connection
};

// Adds --connection NAME, --config and (unless with_json is false) --json.
void add_teamtailor_options(Command command, TeamtailorOptions& options, bool with_json = true);

// The connection named by --connection, or the default one followed by every named one. nullopt
// after telling `err` that the name is unknown.
std::optional<std::vector<config::TeamtailorConnection>> chosen_connections(
    const config::Config& config, const std::string& name, std::ostream& err);

}  // namespace ttb::app::cli
