// ttbridge: the operator's CLI. main() declares the subcommands; each lives in its own file.

#include <iostream>

#include <CLI/CLI.hpp>

#include "app/config_check.h"
#include "ops/version.h"

int main(int argc, char** argv) {
  CLI::App cli{"ttbridge: the operator's command line for ttbridged"};
  cli.require_subcommand(1);
  cli.set_version_flag("--version", std::string("ttbridge ") + ttb::ops::kVersion);

  std::string config_path = ttb::app::kDefaultConfigPath;
  auto* config_cmd = cli.add_subcommand("config", "work with the configuration");
  config_cmd->require_subcommand(1);
  auto* check_cmd = config_cmd->add_subcommand(
      "check", "validate the main config and every tenant file; one line per problem, exit 0/1");
  check_cmd->add_option("-c,--config", config_path, "main config file")->capture_default_str();

  int code = 0;
  check_cmd->callback([&] { code = ttb::app::check_config(config_path, std::cout, std::cerr); });

  CLI11_PARSE(cli, argc, argv);
  return code;
}
