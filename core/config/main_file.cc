#include "config/main_file.h"

#include <fmt/format.h>

#include "config/admin_settings.h"
#include "config/checks.h"
#include "config/document.h"
#include "config/job_settings.h"
#include "config/plugin_settings.h"
#include "config/server_settings.h"
#include "config/teamtailor_settings.h"
#include "config/token_strength.h"
#include "config/values.h"

namespace ttb::config {
namespace {

std::string strip_trailing_slashes(std::string url) {
  while (url.size() > 1 && url.back() == '/') url.pop_back();
  return url;
}

class MainReader {
 public:
  MainReader(Document& doc, const Environment& env) : doc_(doc), values_(doc, env) {}

  MainFile read(const YAML::Node& root) {
    MainFile out;
    out.settings.file = doc_.file();
    MapView top(doc_, root, YAML::Mark::null_mark(), "",
                {"server", "admin", "teamtailor", "store", "jobs", "plugins", "tenants"});
    if (!top.is_map()) return out;
    std::vector<std::string_view> server_keys = {"listen",
                                                 "public_url",
                                                 "max_body_bytes",
                                                 "threads",
                                                 "shutdown_grace_s",
                                                 "auth_failure_burst",
                                                 "auth_failure_per_minute",
                                                 "report_link_key",
                                                 "report_link_previous_key"};
    for (std::string_view key : server_connection_keys()) server_keys.push_back(key);
    read_server(section(top, "server", std::move(server_keys)), out.settings.server);
    read_admin(doc_, values_, section(top, "admin", admin_keys()), top.find("server"),
               out.settings.server, out.settings.admin);
    read_teamtailor(
        section(top, "teamtailor",
                {"api_url", "api_key", "webhook_secret", "signature_tolerance_s", "connections"}),
        out.settings.teamtailor);
    read_store(section(top, "store", {"url", "retention_days"}), out.settings.store);
    read_jobs(doc_, values_,
              section(top, "jobs",
                      {"workers", "tenant_concurrency", "provider_concurrency",
                       "provider_rate_per_s", "teamtailor_workers", "poll_interval_s",
                       "reconcile_after_s", "reconcile_every_s", "lease_s", "retry", "breaker"}),
              out.settings.jobs);
    const MapView plugins = section(top, "plugins", {"dir", "call_timeout_s", "confinement"});
    const bool plugins_ok =
        read_dir(plugins, "\"build/plugins\"", out.settings.plugins_dir, nullptr);
    if (const Entry* e = plugins.find("call_timeout_s")) {
      // At most 90 s: a job waits on a call for 120 s before it stops waiting (jobs/job_steps.h).
      if (auto n = values_.integer(*e, 1, 90))
        out.settings.plugin_call_timeout = std::chrono::seconds(*n);
    }
    if (const Entry* e = plugins.find("confinement")) {
      const MapView confinement(doc_, e->value, e->key_node.Mark(), e->path,
                                plugin_confinement_keys());
      read_plugin_confinement(doc_, values_, confinement, out.settings.plugin_confinement);
    }
    const bool tenants_ok = read_dir(section(top, "tenants", {"dir"}), "\"config/tenants\"",
                                     out.settings.tenants_dir, &out.settings.tenants_dir_at);
    out.dirs_known = plugins_ok && tenants_ok;
    return out;
  }

  // The top-level keys are checked, then only `store:` is read: no other value is resolved.
  MainFile read_store_only(const YAML::Node& root) {
    MainFile out;
    out.settings.file = doc_.file();
    MapView top(doc_, root, YAML::Mark::null_mark(), "",
                {"server", "admin", "teamtailor", "store", "jobs", "plugins", "tenants"});
    if (!top.is_map()) return out;
    read_store(section(top, "store", {"url", "retention_days"}), out.settings.store);
    return out;
  }

 private:
  MapView section(const MapView& top, std::string_view name,
                  std::vector<std::string_view> allowed) {
    const Entry* entry = top.find(name);
    if (entry == nullptr)
      return MapView(doc_, YAML::Node(), top.mark(), std::string(name), allowed);
    return MapView(doc_, entry->value, entry->key_node.Mark(), entry->path, std::move(allowed));
  }

  void read_server(MapView map, ServerSettings& server) {
    if (const Entry* e = map.find("listen")) {
      if (auto text = values_.text(*e, "\"host:port\", e.g. \"127.0.0.1:8080\"")) {
        if (auto address = parse_listen(*text)) {
          server.listen = *text;
          server.host = address->host;
          server.port = address->port;
        } else {
          doc_.report(e->value_mark(),
                      fmt::format("server.listen '{}' is not host:port; write e.g. "
                                  "\"127.0.0.1:8080\", \"0.0.0.0:8080\" or \"[::1]:8080\"",
                                  shown(*e)));
        }
      }
    }
    if (const Entry* e =
            map.require("public_url", "public_url: \"https://ttbridge.example.com\"")) {
      if (auto url = http_url(*e, "\"https://ttbridge.example.com\"")) server.public_url = *url;
    }
    if (const Entry* e = map.find("max_body_bytes")) {
      if (auto n = values_.integer(*e, 1024, 64LL * 1024 * 1024)) {
        server.max_body_bytes = static_cast<std::size_t>(*n);
      }
    }
    if (const Entry* e = map.find("threads")) {
      if (auto n = values_.integer(*e, 1, 256)) server.threads = static_cast<unsigned>(*n);
    }
    if (const Entry* e = map.find("shutdown_grace_s")) {
      if (auto n = values_.integer(*e, 0, 3600)) server.shutdown_grace_s = static_cast<int>(*n);
    }
    read_auth_failure_budget(map, server);
    read_report_link_keys(map, server);
    read_server_connections(doc_, values_, map, server);
  }

  // The keys of the card's report links (docs/configuration.md, "Report links"). Whoever holds
  // the key can make a link to any order's report, so a guessable one is refused.
  void read_report_link_keys(const MapView& map, ServerSettings& server) {
    const Entry* key = map.find("report_link_key");
    const Entry* previous = map.find("report_link_previous_key");
    if (key != nullptr) {
      if (auto secret = values_.secret(*key); secret && strong_key(*key, *secret)) {
        server.report_link_key = std::move(*secret);
      }
    }
    if (previous != nullptr) {
      if (key == nullptr) {
        doc_.report(previous->key_node.Mark(),
                    "server.report_link_previous_key is set without server.report_link_key; "
                    "during a rotation set both: the new key as report_link_key, the old one as "
                    "report_link_previous_key");
      } else if (auto secret = values_.secret(*previous);
                 secret && strong_key(*previous, *secret)) {
        server.report_link_previous_key = std::move(*secret);
      }
    }
  }

  bool strong_key(const Entry& entry, const Secret& key) {
    const std::optional<int> bits = token_bits(key.reveal());
    if (bits && *bits >= kMinTokenBits) return true;
    doc_.report(entry.value_mark(),
                fmt::format("{} must be a random key of at least {} bits (32 hex digits or 22 "
                            "base64url characters); write one with `openssl rand -hex 32`",
                            entry.path, kMinTokenBits));
    return false;
  }

  // Failed authentication per client address and per tenant (docs/configuration.md, "server").
  void read_auth_failure_budget(const MapView& map, ServerSettings& server) {
    if (const Entry* e = map.find("auth_failure_burst")) {
      if (auto n = values_.integer(*e, 1, 100000)) server.auth_failure_burst = static_cast<int>(*n);
    }
    if (const Entry* e = map.find("auth_failure_per_minute")) {
      if (auto n = values_.integer(*e, 1, 100000)) {
        server.auth_failure_per_minute = static_cast<int>(*n);
      }
    }
  }

  void read_teamtailor(MapView map, TeamtailorSettings& tt) {
    if (const Entry* e = map.find("api_url")) {
      if (auto url = http_url(*e, "\"https://api.teamtailor.com/partner/v1\"")) tt.api_url = *url;
    }
    if (const Entry* e = map.require("api_key", "api_key: \"${env:TTBRIDGE_TT_API_KEY}\"")) {
      if (auto secret = values_.secret(*e)) tt.api_key = std::move(*secret);
    }
    if (const Entry* e = map.require("webhook_secret",
                                     "webhook_secret: \"${env:TTBRIDGE_TT_WEBHOOK_SECRET}\"")) {
      if (auto secret = values_.secret(*e)) tt.webhook_secret = std::move(*secret);
    }
    if (const Entry* e = map.find("signature_tolerance_s")) {
      if (auto n = values_.integer(*e, 1, 3600)) tt.signature_tolerance_s = static_cast<int>(*n);
    }
    if (const Entry* e = map.find("connections")) {
      read_connections(doc_, values_, *e, tt.connections, tt.broken_connections);
    }
  }

  void read_store(const MapView& map, StoreSettings& store) {
    if (const Entry* e = map.find("retention_days")) {
      if (auto n = values_.integer(*e, 0, 36500)) store.retention_days = static_cast<int>(*n);
    }
    const Entry* e = map.find("url");
    if (e == nullptr) return;
    auto url = values_.text(*e, "\"sqlite://PATH\" or \"postgresql://USER@HOST/DB\"");
    if (!url) return;
    if (store_kind(*url)) {
      store.url = *url;
      return;
    }
    // The url may carry a password: name only its scheme.
    const std::string_view scheme = url_scheme(*url);
    const std::string what = scheme.empty()
                                 ? std::string("has no scheme")
                                 : fmt::format("has scheme '{}' (or nothing after it)", scheme);
    doc_.report(
        e->value_mark(),
        fmt::format("store.url {}; use \"sqlite://PATH\" (e.g. \"sqlite://var/ttbridge.db\") "
                    "or \"postgresql://USER@HOST/DB\"",
                    what));
  }

  bool read_dir(MapView map, std::string_view example, std::filesystem::path& dir,
                SourceRef* where) {
    const Entry* e = map.require("dir", fmt::format("dir: {}", example));
    if (e == nullptr) return false;
    auto text = values_.text(*e, fmt::format("a directory path, e.g. {}", example));
    if (!text) return false;
    if (text->empty()) {
      doc_.report(e->value_mark(),
                  fmt::format("{} is empty; set a directory, e.g. {}", e->path, example));
      return false;
    }
    dir = *text;
    if (where != nullptr) *where = doc_.at(e->value_mark());
    return true;
  }

  std::optional<std::string> http_url(const Entry& e, std::string_view example) {
    auto url = values_.text(e, fmt::format("an http(s) URL, e.g. {}", example));
    if (!url) return std::nullopt;
    if (!is_http_url(*url)) {
      doc_.report(e.value_mark(), fmt::format("{} '{}' is not an http:// or https:// URL; write "
                                              "e.g. {}",
                                              e.path, shown(e), example));
      return std::nullopt;
    }
    return strip_trailing_slashes(std::move(*url));
  }

  Document& doc_;
  ValueReader values_;
};

}  // namespace

MainFile read_main_file(const std::filesystem::path& file, const Environment& env,
                        std::vector<Problem>& problems, bool store_only) {
  std::string error;
  std::optional<std::string> text = read_whole_file(file, error);
  if (!text) {
    problems.push_back(Problem{SourceRef{file.string(), 0, 0},
                               fmt::format("cannot read the config file ({}); check the path "
                                           "given with --config",
                                           error)});
    MainFile out;
    out.settings.file = file;
    return out;
  }
  Document doc(file, std::move(*text), problems);
  std::optional<YAML::Node> root = doc.parse();
  if (!root) {
    MainFile out;
    out.settings.file = file;
    return out;
  }
  return store_only ? MainReader(doc, env).read_store_only(*root)
                    : MainReader(doc, env).read(*root);
}

}  // namespace ttb::config
