#include "app/config_check.h"

#include <ostream>

#include "config/load.h"
#include "config/provider_schema.h"
#include "plugins/internal/loader.h"

namespace ttb::app {
namespace {

// Each provider's config against its plugin's schema (ABI 1.1). The plugin is loaded (its entry
// is pure) but no provider is created: nothing here reaches a vendor.
std::vector<config::Problem> provider_config_problems(const config::Config& loaded) {
  std::vector<config::Problem> problems;
  for (const auto& tenant : loaded.tenants) {
    for (const auto& provider : tenant.providers) {
      // Not loaded by the daemon either: its plugin file need not exist, nor its config be whole.
      if (!provider.enabled) continue;
      const std::string who = "provider " + provider.name + ": ";
      auto plugin = plugins::load_plugin(provider.plugin_path);
      if (!plugin.plugin) {
        problems.push_back({provider.where, who + plugin.error});
        continue;
      }
      if (plugin.plugin->config_schema.empty()) continue;  // a 1.0 plugin, or no schema
      auto schema = nlohmann::json::parse(plugin.plugin->config_schema, nullptr, false);
      std::vector<std::string> broken = schema.is_discarded()
                                            ? std::vector<std::string>{"it is not valid JSON"}
                                            : config::schema_problems(schema);
      if (!broken.empty()) {
        problems.push_back({provider.where, who + "plugin " + plugin.plugin->id +
                                                " has a broken config_schema (" + broken.front() +
                                                "); its config cannot be checked"});
        continue;
      }
      for (auto& p : config::check_provider_config(schema, provider.config, provider.where,
                                                   provider.name, plugin.plugin->id)) {
        problems.push_back(std::move(p));
      }
    }
  }
  return problems;
}

}  // namespace

int check_config(const std::filesystem::path& config_path, std::ostream& out, std::ostream& err) {
  config::LoadResult loaded = config::load_config(config_path);
  if (loaded.ok()) {
    for (auto& p : provider_config_problems(*loaded.config)) loaded.problems.push_back(p);
  }
  for (const config::Problem& problem : loaded.problems) err << problem.to_string() << '\n';
  if (!loaded.problems.empty() || !loaded.ok()) {
    err << config_path.string() << ": " << loaded.problems.size()
        << (loaded.problems.size() == 1 ? " problem" : " problems") << '\n';
    return 1;
  }
  std::size_t providers = 0;
  std::size_t disabled = 0;
  for (const auto& tenant : loaded.config->tenants) {
    providers += tenant.providers.size();
    for (const auto& provider : tenant.providers) disabled += !provider.enabled;
  }
  out << config_path.string() << ": ok (" << loaded.config->tenants.size() << " tenants, "
      << providers << " providers";
  if (disabled > 0) out << ", " << disabled << " disabled";
  out << ")\n";
  return 0;
}

}  // namespace ttb::app
