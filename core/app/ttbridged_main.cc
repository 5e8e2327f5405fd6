// ttbridged: the daemon. main() parses flags and hands over; see app/daemon.cc for the wiring.

#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "app/config_check.h"
#include "app/daemon.h"
#include "ops/version.h"

int main(int argc, char** argv) {
  try {
    CLI::App cli{"ttbridged: brings assessment and background-check vendors into Teamtailor"};
    std::string config_path = ttb::app::kDefaultConfigPath;
    bool check = false;
    bool version = false;
    cli.add_option("-c,--config", config_path, "main config file")->capture_default_str();
    cli.add_flag("--check", check,
                 "validate the config and the tenant files, print problems, exit 0/1");
    cli.add_flag("--version", version, "print the version and the plugin ABI, then exit");
    CLI11_PARSE(cli, argc, argv);

    if (version) {
      std::cout << "ttbridged " << ttb::ops::kVersion << " (plugin ABI " << ttb::ops::kPluginAbi
                << ")\n";
      return 0;
    }
    if (check) return ttb::app::check_config(config_path, std::cout, std::cerr);
    return ttb::app::run_daemon({config_path});
  } catch (const std::exception& e) {
    // Nothing below handled it (a bug, or out of memory): name it and exit 1, not abort.
    std::cerr << "ttbridged: " << e.what() << "\n";
    return 1;
  }
}
