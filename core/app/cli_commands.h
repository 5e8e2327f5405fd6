#pragma once
// The ttbridge subcommands. Each add_* declares one leaf command (its flags, its --help) under
// `parent`; when that command is parsed, `action` is set to its work. One file per command.

#include "app/cli_command.h"

namespace ttb::app::cli {

void add_config_check(Command config, Action& action);   // ttbridge config check
void add_tenants_list(Command tenants, Action& action);  // ttbridge tenants list
void add_tenants_new(Command tenants, Action& action);   // ttbridge tenants new NAME
void add_orders_list(Command orders, Action& action);    // ttbridge orders list
void add_orders_show(Command orders, Action& action);    // ttbridge orders show ID
void add_orders_replay(Command orders, Action& action);  // ttbridge orders replay ID --step S
void add_jobs_list(Command jobs, Action& action);        // ttbridge jobs list
void add_jobs_retry(Command jobs, Action& action);       // ttbridge jobs retry ID|--all
void add_store_migrate(Command store, Action& action);   // ttbridge store migrate
void add_store_copy(Command store, Action& action);      // ttbridge store copy --from --to
void add_plugin_check(Command plugin, Action& action);   // ttbridge plugin check PATH.so
// ttbridge plugin doc-table PATH.so
void add_plugin_doc_table(Command plugin, Action& action);
// ttbridge teamtailor setup|check|activations: the partner registration at Teamtailor.
void add_teamtailor_setup(Command teamtailor, Action& action);
void add_teamtailor_check(Command teamtailor, Action& action);
void add_teamtailor_activations(Command teamtailor, Action& action);

}  // namespace ttb::app::cli
