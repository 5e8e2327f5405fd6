// ttbridge: the operator's CLI. main() declares the subcommands; each lives in its own file
// (cli_<group>_<command>.cc); docs/cli.md is the operator's reference.

#include <exception>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "app/cli_commands.h"
#include "ops/version.h"

int main(int argc, char** argv) {
  try {
    namespace cli = ttb::app::cli;
    CLI::App app{"ttbridge: the operator's command line for ttbridged"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("ttbridge ") + ttb::ops::kVersion);
    cli::Action action;

    auto* config = app.add_subcommand("config", "work with the configuration");
    config->require_subcommand(1);
    cli::add_config_check(cli::Command(*config), action);

    auto* tenants = app.add_subcommand("tenants", "the configured tenants");
    tenants->require_subcommand(1);
    cli::add_tenants_list(cli::Command(*tenants), action);
    cli::add_tenants_new(cli::Command(*tenants), action);

    auto* orders = app.add_subcommand("orders", "orders: list, show, replay one step");
    orders->require_subcommand(1);
    cli::add_orders_list(cli::Command(*orders), action);
    cli::add_orders_show(cli::Command(*orders), action);
    cli::add_orders_replay(cli::Command(*orders), action);

    auto* jobs = app.add_subcommand("jobs", "durable jobs and dead letters");
    jobs->require_subcommand(1);
    cli::add_jobs_list(cli::Command(*jobs), action);
    cli::add_jobs_retry(cli::Command(*jobs), action);

    auto* store = app.add_subcommand("store", "the store: its schema, and a copy into a new one");
    store->require_subcommand(1);
    cli::add_store_migrate(cli::Command(*store), action);
    cli::add_store_copy(cli::Command(*store), action);

    auto* plugin = app.add_subcommand("plugin", "vendor plugins");
    plugin->require_subcommand(1);
    cli::add_plugin_check(cli::Command(*plugin), action);
    cli::add_plugin_doc_table(cli::Command(*plugin), action);

    auto* teamtailor =
        app.add_subcommand("teamtailor", "the partner registration at Teamtailor: set up, check");
    teamtailor->require_subcommand(1);
    cli::add_teamtailor_setup(cli::Command(*teamtailor), action);
    cli::add_teamtailor_check(cli::Command(*teamtailor), action);
    cli::add_teamtailor_activations(cli::Command(*teamtailor), action);

    return cli::run(app, argc, argv, action);
  } catch (const std::exception& e) {
    // cli::run reports a command's errors; this is for a bug in declaring them, or out of memory.
    std::cerr << "ttbridge: " << e.what() << "\n";
    return 1;
  }
}
