#pragma once
// The loaded, resolved and validated configuration: what the daemon and the CLI work from.
// Every value here has passed validation; secrets are already resolved but stay wrapped.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/problem.h"
#include "config/secret.h"

namespace ttb::config {

struct ServerSettings {
  std::string listen = "127.0.0.1:8080";
  std::string host = "127.0.0.1";  // from listen, without IPv6 brackets ("::1")
  std::uint16_t port = 8080;       // from listen; 0 means an ephemeral port
  std::string public_url;          // no trailing slash
  std::size_t max_body_bytes = 1048576;
  unsigned threads = 16;
  int shutdown_grace_s = 10;
};

struct TeamtailorSettings {
  std::string api_url = "https://api.teamtailor.com/partner/v1";  // no trailing slash
  Secret api_key;
  Secret webhook_secret;
  int signature_tolerance_s = 300;
};

struct StoreSettings {
  std::string url =
      "sqlite://var/ttbridge.db";  // sqlite://PATH | postgresql://... | postgres://...

  bool is_sqlite() const;
  // The PATH of a sqlite:// url ("var/ttbridge.db"); empty for PostgreSQL.
  std::filesystem::path sqlite_path() const;
  // The url with any password replaced by "<redacted>", for logs.
  std::string redacted_url() const;
};

struct ProviderSettings {
  std::string name;                                  // unique in the tenant
  std::string plugin;                                // plugin name: <plugins.dir>/<plugin>.so
  std::filesystem::path plugin_path;                 // plugins_dir / (plugin + ".so")
  nlohmann::json config = nlohmann::json::object();  // references resolved; may hold secrets
  bool enabled = true;
  SourceRef where;  // the provider's entry in the tenant file
};

struct TenantSettings {
  std::string id;
  std::optional<std::string> company_uuid;
  Secret activation_token;
  std::vector<ProviderSettings> providers;
  std::filesystem::path file;
};

struct MainSettings {
  ServerSettings server;
  TeamtailorSettings teamtailor;
  StoreSettings store;
  std::filesystem::path plugins_dir;  // as written; relative to the working directory
  std::filesystem::path tenants_dir;  // as written; relative to the working directory
  std::filesystem::path file;         // the main config file
  SourceRef tenants_dir_at;           // where tenants.dir is written, for messages
};

struct Config {
  MainSettings main;
  std::vector<TenantSettings> tenants;
};

}  // namespace ttb::config
