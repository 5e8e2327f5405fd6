// ttbridge config check: validate the main config and every tenant file (shared with
// `ttbridged --check`).

#include <iostream>

#include "app/cli_commands.h"
#include "app/config_check.h"

namespace ttb::app::cli {

void add_config_check(Command config, Action& action) {
  auto options = std::make_shared<CommonOptions>();
  Command command = add_command(
      config, "check",
      "validate the main config and every tenant file; one line per problem, exit 0/1", action,
      [options] {
        return [options] { return check_config(options->config_path, std::cout, std::cerr); };
      });
  add_common_options(command, *options, /*with_json=*/false);
}

}  // namespace ttb::app::cli
