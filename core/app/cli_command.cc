#include "app/cli_command.h"

#include <exception>
#include <filesystem>
#include <iostream>

#include <CLI/CLI.hpp>

#include "config/load.h"

namespace ttb::app::cli {

void add_common_options(Command command, CommonOptions& options, bool with_json) {
  command.option("-c,--config", options.config_path, "main config file").show_default();
  if (with_json)
    command.flag("--json", options.json, "print JSON (stable keys) instead of a table");
}

void add_store_option(Command command, CommonOptions& options) {
  command.option("--store", options.store_url,
                 "the store to read, e.g. sqlite:///var/lib/ttbridge/ttbridge.db (default: "
                 "store.url of --config; nothing else of the config is needed)");
}

Command add_command(Command parent, const std::string& name, const std::string& description,
                    Action& action, std::function<Action()> make_action) {
  CLI::App* command = parent.app().add_subcommand(name, description);
  command->callback([&action, make_action = std::move(make_action)] { action = make_action(); });
  return Command(*command);
}

int run(CLI::App& app, int argc, char** argv, Action& action) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);  // prints help, version or the parse error
    return code == 0 ? kExitOk : kExitUsage;
  }
  if (!action) return kExitUsage;  // unreachable: every leaf command sets one
  try {
    return action();
  } catch (const std::exception& e) {
    return fail(std::cerr, std::string("unexpected error: ") + e.what());
  }
}

std::optional<config::Config> load_config(const std::string& path, std::ostream& err,
                                          const config::Environment& env) {
  config::LoadResult loaded = config::load_config(path, env);
  if (loaded.ok()) return std::move(loaded.config);
  for (const config::Problem& problem : loaded.problems) err << problem.to_string() << '\n';
  fail(err, "cannot load the configuration " + path,
       "fix the problems above (ttbridge config check --config " + path +
           " lists them all); the CLI needs the same environment variables and files as the "
           "daemon, or pass --config PATH");
  return std::nullopt;
}

config::Environment environment_without_secrets() {
  return [process = config::process_environment()](const std::string& name) {
    // Long enough to pass the checks a secret's value gets; never shown (the caller prints none).
    return process(name).value_or("unset-" + name + "-0123456789abcdef0123456789abcdef");
  };
}

namespace {

// `source` names where the url came from, for the hint when it cannot be opened.
std::unique_ptr<store::Store> open_existing_store(const config::StoreSettings& settings,
                                                  const std::string& source, std::ostream& err) {
  if (settings.is_sqlite()) {
    // Opening a missing SQLite file would create an empty store and show nothing, which looks
    // like "no orders" instead of "wrong directory".
    std::error_code ec;
    const std::filesystem::path file = settings.sqlite_path();
    if (!std::filesystem::exists(file, ec)) {
      fail(err, "the store file " + file.string() + " does not exist",
           "run ttbridge from the daemon's working directory (relative paths start at " +
               std::filesystem::current_path(ec).string() +
               ") or give store.url an absolute path; the daemon creates the file at its first "
               "start");
      return nullptr;
    }
  }
  store::StoreOptions options;
  options.recover_interrupted_jobs = false;
  auto opened = store::open_store(settings.url, std::move(options));
  if (!opened) {
    fail(err, "cannot open the store " + settings.redacted_url() + ": " + opened.error().message,
         "check " + source + " and the file's permissions");
    return nullptr;
  }
  return std::move(*opened);
}

}  // namespace

std::unique_ptr<store::Store> open_store(const config::Config& config, std::ostream& err) {
  return open_existing_store(config.main.store, "store.url in " + config.main.file.string(), err);
}

std::unique_ptr<store::Store> open_store_to_read(const CommonOptions& options, std::ostream& err) {
  if (!options.store_url.empty()) {
    config::StoreSettings settings;
    settings.url = options.store_url;
    return open_existing_store(settings, "--store", err);
  }
  config::StoreSettingsResult loaded = config::load_store_settings(options.config_path);
  if (!loaded.ok()) {
    for (const config::Problem& problem : loaded.problems) err << problem.to_string() << '\n';
    fail(err,
         "cannot load the configuration " + options.config_path +
             " (this command needs only its store.url)",
         "fix the problems above (ttbridge config check --config " + options.config_path +
             " lists them all), or name the store with --store URL");
    return nullptr;
  }
  return open_existing_store(loaded.main->store, "store.url in " + options.config_path, err);
}

int store_failed(const store::Error& error) {
  return fail(std::cerr, "the store failed: " + error.message,
              "check store.url, the file's permissions and free disk space, then try again");
}

int fail(std::ostream& err, const std::string& what, const std::string& todo) {
  err << "error: " << what << '\n';
  if (!todo.empty()) err << "  " << todo << '\n';
  return kExitProblem;
}

}  // namespace ttb::app::cli
