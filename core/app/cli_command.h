#pragma once
// What every ttbridge subcommand shares: exit codes, the --config/--json options, the deferred
// action a subcommand leaves behind when it is parsed, and the run loop that maps parse errors,
// store errors and surprises onto those exit codes.

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "app/cli_flags.h"
#include "app/config_check.h"
#include "config/load.h"
#include "config/settings.h"
#include "store/store.h"

namespace ttb::app::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitProblem = 1;  // not found, refused, store or config error
inline constexpr int kExitUsage = 2;    // bad flags or arguments

// A parsed subcommand's work. It runs after parsing, so no subcommand does anything (opens the
// store, starts a thread) before the whole command line is known to be valid.
using Action = std::function<int()>;

struct CommonOptions {
  std::string config_path = kDefaultConfigPath;
  bool json = false;
  std::string store_url;  // --store (read-only commands): used instead of the config's store.url
};

// --config PATH (and --json unless with_json is false).
void add_common_options(Command command, CommonOptions& options, bool with_json = true);
// --store URL, for the commands that only read the store (open_store_to_read).
void add_store_option(Command command, CommonOptions& options);

// Adds `name` under `parent`; when it is the one parsed, `action` becomes make_action().
Command add_command(Command parent, const std::string& name, const std::string& description,
                    Action& action, std::function<Action()> make_action);

// Parses, runs the chosen action and returns the exit code.
int run(CLI::App& app, int argc, char** argv, Action& action);

// The loaded config, or nullopt after telling `err` what is wrong and what to do.
std::optional<config::Config> load_config(
    const std::string& path, std::ostream& err,
    const config::Environment& env = config::process_environment());

// The process environment, where an unset variable reads as a stand-in value: for commands that
// read the config but never use or print a secret (tenants list), so that they run without the
// daemon's secrets.
config::Environment environment_without_secrets();

// The store the config names, opened alongside a running daemon: it leaves the daemon's running
// jobs alone and refuses to create a store that does not exist. nullptr after telling `err`.
std::unique_ptr<store::Store> open_store(const config::Config& config, std::ostream& err);

// The store for a command that only reads it (orders list/show, jobs list): --store URL when
// given, else store.url of the main config read alone (config::load_store_settings), so the
// Teamtailor secrets and the tenant files need not resolve. nullptr after telling `err`.
std::unique_ptr<store::Store> open_store_to_read(const CommonOptions& options, std::ostream& err);

// "error: <what>\n  <todo>\n" on `err`; returns kExitProblem.
int fail(std::ostream& err, const std::string& what, const std::string& todo = "");
// Prints a store failure (a read or write that returned an Error) and returns kExitProblem.
int store_failed(const store::Error& error);

}  // namespace ttb::app::cli
