// ttbridge tenants list: each tenant's providers with their plugin's name and version, read from
// the plugin's descriptor (no instance is created, the vendor is not called). Never a secret:
// provider configs and activation tokens are not printed.

#include <iostream>

#include "app/cli_commands.h"
#include "app/cli_output.h"
#include "plugins/internal/loader.h"

namespace ttb::app::cli {
namespace {

int list(const CommonOptions& options) {
  // It prints no secret, so it needs none: unset ${env:…} secrets do not stop it.
  auto config = load_config(options.config_path, std::cerr, environment_without_secrets());
  if (!config) return kExitProblem;

  nlohmann::json tenants = nlohmann::json::array();
  Table table({"TENANT", "PROVIDER", "PLUGIN", "PLUGIN NAME", "VERSION", "ABI", "ENABLED"});
  std::vector<std::string> load_errors;
  for (const config::TenantSettings& tenant : config->tenants) {
    nlohmann::json providers = nlohmann::json::array();
    for (const config::ProviderSettings& provider : tenant.providers) {
      const plugins::LoadResult loaded = plugins::load_plugin(provider.plugin_path);
      nlohmann::json entry = {{"name", provider.name},
                              {"plugin", provider.plugin},
                              {"plugin_file", provider.plugin_path.string()},
                              {"enabled", provider.enabled}};
      if (loaded.plugin) {
        entry["plugin_id"] = loaded.plugin->id;
        entry["plugin_name"] = loaded.plugin->name;
        entry["plugin_version"] = loaded.plugin->version;
        const std::string abi =
            std::to_string(TTB_ABI_MAJOR) + "." + std::to_string(loaded.plugin->abi_minor);
        entry["abi"] = abi;
        table.add({tenant.id, provider.name, provider.plugin, loaded.plugin->name,
                   loaded.plugin->version, abi, provider.enabled ? "yes" : "no"});
      } else {
        entry["plugin_error"] = loaded.error;
        // A disabled provider may name a plugin that is not installed (config check allows it).
        if (provider.enabled) {
          load_errors.push_back("tenant " + tenant.id + ", provider " + provider.name + ": " +
                                loaded.error);
        }
        table.add({tenant.id, provider.name, provider.plugin, "(cannot load)", "", "",
                   provider.enabled ? "yes" : "no"});
      }
      providers.push_back(std::move(entry));
    }
    if (tenant.providers.empty()) table.add({tenant.id, "", "", "", "", "", ""});
    tenants.push_back({{"id", tenant.id},
                       {"company_uuid", tenant.company_uuid ? nlohmann::json(*tenant.company_uuid)
                                                            : nlohmann::json(nullptr)},
                       {"file", tenant.file.string()},
                       {"providers", std::move(providers)}});
  }

  if (options.json) {
    print_json(std::cout, {{"tenants", std::move(tenants)}});
  } else if (config->tenants.empty()) {
    std::cout << "no tenants in " << config->main.tenants_dir.string() << '\n';
  } else {
    table.print(std::cout);
  }
  for (const std::string& error : load_errors) {
    fail(std::cerr, error,
         "rebuild or reinstall the plugin, or check it with ttbridge plugin check");
  }
  return load_errors.empty() ? kExitOk : kExitProblem;
}

}  // namespace

void add_tenants_list(Command tenants, Action& action) {
  auto options = std::make_shared<CommonOptions>();
  Command command =
      add_command(tenants, "list",
                  "the tenants with their providers, plugins and plugin versions (never a secret)",
                  action, [options] { return [options] { return list(*options); }; });
  add_common_options(command, *options);
}

}  // namespace ttb::app::cli
