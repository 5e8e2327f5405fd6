// ttbridge plugin check PATH.so [--config JSON]: the conformance kit (sdk/testkit) on one plugin.
// Without --config the kit creates the plugin with its own sample config (ABI 1.1).
// The kit forks a child per run; nothing in this process has started a thread by then.

#include <iostream>

#include <nlohmann/json.hpp>

#include "app/cli_commands.h"
#include "plugins/internal/file_trust.h"
#include "testkit/plugin_check.h"

namespace ttb::app::cli {
namespace {

struct Options {
  std::string plugin;
  std::string config_json;  // empty: the plugin's sample_config, or "{}" for a 1.0 plugin
};

int check(const Options& options) {
  const auto parsed = nlohmann::json::parse(options.config_json, nullptr, false);
  if (!options.config_json.empty() && !parsed.is_object()) {
    std::cerr << "error: --config must be a JSON object, the provider config the plugin's create() "
                 "receives, e.g. --config '{\"api_key\":\"test\"}'\n";
    return kExitUsage;
  }
  // The daemon refuses a plugin others could change: say so first, then check the ABI anyway.
  std::error_code ec;
  const std::string untrusted = std::filesystem::exists(options.plugin, ec)
                                    ? plugins::untrusted_plugin_file(options.plugin)
                                    : std::string();
  if (!untrusted.empty()) std::cout << "FAIL file: " << untrusted << "\n";
  const bool passed =
      testkit::run_plugin_check(options.plugin, options.config_json, std::cout) == 0;
  return passed && untrusted.empty() ? kExitOk : kExitProblem;
}

}  // namespace

void add_plugin_check(Command plugin, Action& action) {
  auto options = std::make_shared<Options>();
  Command command = add_command(
      plugin, "check",
      "load a plugin under a fake host and check the ABI contract; one line per finding, exit 0/1",
      action, [options] { return [options] { return check(*options); }; });
  command.option("plugin", options->plugin, "the plugin's shared library (PATH.so)").required();
  command.option("--config", options->config_json,
                 "the provider config (JSON object) the plugin is created with; default: the "
                 "plugin's sample config");
}

}  // namespace ttb::app::cli
