#include "config/load.h"

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <unordered_map>

#include <fmt/format.h>

#include "config/main_file.h"
#include "config/tenant_file.h"

namespace ttb::config {
namespace {

bool is_tenant_file_name(const std::string& name) {
  if (name.empty() || name.front() == '.') return false;  // editor swap files, dotfiles
  const auto ends_with = [&](std::string_view suffix) {
    return name.size() > suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ends_with(".yaml") || ends_with(".yml");
}

std::string location(const SourceRef& where) {
  return fmt::format("{}:{}:{}", where.file, where.line, where.column);
}

// Lists the tenant files, sorted by name; nullopt after reporting a missing or unreadable dir.
std::optional<std::vector<std::filesystem::path>> list_tenant_files(
    const MainSettings& main, std::vector<Problem>& problems) {
  SourceRef where = main.tenants_dir_at;
  if (where.file.empty()) where.file = main.file.string();
  std::error_code ec;
  if (!std::filesystem::is_directory(main.tenants_dir, ec)) {
    problems.push_back(Problem{
        where, fmt::format("tenants.dir {} is not a directory (relative paths start at the working "
                           "directory, {}); create it or fix the path",
                           main.tenants_dir.string(), std::filesystem::current_path(ec).string())});
    return std::nullopt;
  }
  std::vector<std::filesystem::path> files;
  std::filesystem::directory_iterator it(main.tenants_dir, ec);
  for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!is_tenant_file_name(name)) continue;
    // Only a sub-folder is passed over. Anything else named like a tenant file is read, so that
    // a link that leads nowhere, a target the daemon may not read, or a FIFO is reported: skipped
    // without a word, its tenant would vanish at a reload.
    std::error_code type_ec;
    if (it->is_directory(type_ec)) continue;
    files.push_back(it->path());
  }
  if (ec) {
    problems.push_back(Problem{where, fmt::format("cannot list tenants.dir {} ({}); check its "
                                                  "permissions",
                                                  main.tenants_dir.string(), ec.message())});
    return std::nullopt;
  }
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
    return a.filename().string() < b.filename().string();
  });
  return files;
}

std::string connection_names(const TeamtailorSettings& teamtailor) {
  std::string names = kDefaultConnection;
  for (const TeamtailorConnection& c : teamtailor.connections) {
    names += ", ";
    names += c.name;
  }
  return names;
}

}  // namespace

Environment process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

StoreSettingsResult load_store_settings(const std::filesystem::path& main_file,
                                        const Environment& env) {
  StoreSettingsResult result;
  MainFile main = read_main_file(main_file, env, result.problems, true);
  if (result.problems.empty()) result.main = std::move(main.settings);
  return result;
}

TenantsResult load_tenants(const MainSettings& main, const Environment& env) {
  TenantsResult result;
  std::optional<std::vector<std::filesystem::path>> files =
      list_tenant_files(main, result.problems);
  if (!files) return result;

  PluginFiles plugins(main.plugins_dir);
  std::vector<TenantFile> loaded;
  loaded.reserve(files->size());
  // Every tenant file read so far, refused ones too: a third file that repeats the id or token
  // of a refused second one is told about that file, the one it clashes with.
  struct Seen {
    std::string id;
    std::string file;
    SourceRef id_at;
    SourceRef token_at;
  };
  std::unordered_map<std::string, Seen> by_id;
  std::unordered_map<std::string, Seen> by_token;  // keyed by the token's value; never printed
  for (const std::filesystem::path& file : *files) {
    // A reload runs this in the daemon's signal loop: whatever a file holds, it must come back
    // with problems, never with an exception.
    std::optional<TenantFile> tenant;
    try {
      tenant = read_tenant_file(file, env, plugins, result.problems);
    } catch (const std::exception& e) {
      result.problems.push_back(
          Problem{SourceRef{file.string(), 0, 0}, std::string("could not be read: ") + e.what()});
    }
    if (!tenant) continue;
    const std::string& named = tenant->settings.teamtailor_connection;
    if (!main.teamtailor.connection(named)) {
      // A connection that has problems of its own was told about already; its tenants are not
      // told that it does not exist.
      if (std::ranges::find(main.teamtailor.broken_connections, named) !=
          main.teamtailor.broken_connections.end()) {
        continue;
      }
      result.problems.push_back(
          Problem{tenant->connection_at,
                  fmt::format("teamtailor_connection '{}' is not a connection of the main config "
                              "({}); use one of: {}",
                              tenant->settings.teamtailor_connection, main.file.string(),
                              connection_names(main.teamtailor))});
      continue;
    }
    const Seen seen{tenant->settings.id, tenant->settings.file.string(), tenant->id_at,
                    tenant->token_at};
    bool duplicate = false;
    if (auto [it, inserted] = by_id.try_emplace(seen.id, seen); !inserted) {
      const Seen& first = it->second;
      result.problems.push_back(Problem{
          tenant->id_at, fmt::format("tenant id '{}' is already used by {} ({}); each tenant "
                                     "needs its own id",
                                     tenant->settings.id, first.file, location(first.id_at))});
      duplicate = true;
    }
    const std::string& token = tenant->settings.activation_token.reveal();
    if (auto [it, inserted] = by_token.try_emplace(token, seen); !inserted) {
      const Seen& first = it->second;
      result.problems.push_back(Problem{
          tenant->token_at,
          fmt::format("activation_token is the same as the one of tenant '{}' in {} ({}); each "
                      "tenant needs its own token, since the token names the tenant",
                      first.id, first.file, location(first.token_at))});
      duplicate = true;
    }
    if (!duplicate) loaded.push_back(std::move(*tenant));
  }
  if (result.problems.empty()) {
    std::vector<TenantSettings> tenants;
    tenants.reserve(loaded.size());
    for (TenantFile& tenant : loaded) tenants.push_back(std::move(tenant.settings));
    result.tenants = std::move(tenants);
  }
  return result;
}

LoadResult load_config(const std::filesystem::path& main_file, const Environment& env) {
  LoadResult result;
  MainFile main = read_main_file(main_file, env, result.problems);
  // Tenant files are checked even when the main file has problems, so one run shows them all.
  if (!main.dirs_known) return result;
  TenantsResult tenants = load_tenants(main.settings, env);
  result.problems.insert(result.problems.end(), std::make_move_iterator(tenants.problems.begin()),
                         std::make_move_iterator(tenants.problems.end()));
  if (result.problems.empty() && tenants.tenants) {
    result.config = Config{std::move(main.settings), std::move(*tenants.tenants)};
  }
  return result;
}

}  // namespace ttb::config
