#include "app/config_check.h"

#include <ostream>

#include "config/load.h"

namespace ttb::app {

int check_config(const std::filesystem::path& config_path, std::ostream& out, std::ostream& err) {
  config::LoadResult loaded = config::load_config(config_path);
  for (const config::Problem& problem : loaded.problems) err << problem.to_string() << '\n';
  if (!loaded.ok()) {
    err << config_path.string() << ": " << loaded.problems.size()
        << (loaded.problems.size() == 1 ? " problem" : " problems") << '\n';
    return 1;
  }
  std::size_t providers = 0;
  for (const auto& tenant : loaded.config->tenants) providers += tenant.providers.size();
  out << config_path.string() << ": ok (" << loaded.config->tenants.size() << " tenants, "
      << providers << " providers)\n";
  return 0;
}

}  // namespace ttb::app
