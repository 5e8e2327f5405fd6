#pragma once
// Reads and validates one tenant file, and checks that each enabled provider's plugin file
// exists. Cross-file checks (duplicate ids and tokens) are in load.cc. Internal to ttb_config.

#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/load.h"

namespace ttb::config {

// Remembers which plugin files exist, so 1,000 tenants using one plugin cost one stat().
class PluginFiles {
 public:
  explicit PluginFiles(std::filesystem::path dir) : dir_(std::move(dir)) {}
  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path path_of(const std::string& plugin) const;
  bool exists(const std::string& plugin);

 private:
  std::filesystem::path dir_;
  std::unordered_map<std::string, bool> known_;
};

struct TenantFile {
  TenantSettings settings;
  SourceRef id_at;          // where the id is written, for duplicate messages
  SourceRef token_at;       // where the activation token is written
  SourceRef connection_at;  // where teamtailor_connection is written, when it is
};

// nullopt when the file has any problem (they are appended to `problems`).
std::optional<TenantFile> read_tenant_file(const std::filesystem::path& file,
                                           const Environment& env, PluginFiles& plugins,
                                           std::vector<Problem>& problems);

}  // namespace ttb::config
