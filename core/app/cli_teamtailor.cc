#include "app/cli_teamtailor.h"

#include <fmt/format.h>

namespace ttb::app::cli {

void add_teamtailor_options(Command command, TeamtailorOptions& options, bool with_json) {
  command.option("--connection", options.connection,
                 "only this connection of teamtailor.connections (\"default\": the top-level "
                 "teamtailor keys); all of them when left out");
  add_common_options(command, options.common, with_json);
}

std::optional<std::vector<config::TeamtailorConnection>> chosen_connections(
    const config::Config& config, const std::string& name, std::ostream& err) {
  if (name.empty()) return config.main.teamtailor.all_connections();
  auto connection = config.main.teamtailor.connection(name);
  if (!connection) {
    std::string known;
    for (const auto& c : config.main.teamtailor.all_connections()) {
      if (!known.empty()) known += ", ";
      known += c.name;
    }
    fail(err,
         fmt::format("no Teamtailor connection named '{}' in {}", name, config.main.file.string()),
         fmt::format("use one of: {}", known));
    return std::nullopt;
  }
  return std::vector<config::TeamtailorConnection>{std::move(*connection)};
}

}  // namespace ttb::app::cli
