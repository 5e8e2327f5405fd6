#pragma once
// The loaded, resolved and validated configuration: what the daemon and the CLI work from.
// Every value here has passed validation; secrets are already resolved but stay wrapped.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
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
  unsigned threads = 16;    // handler workers (docs/architecture.md, "Threads")
  unsigned io_threads = 0;  // 0: one per core
  int shutdown_grace_s = 10;
  // Per-connection deadlines and caps of the public listener (docs/configuration.md, "server").
  int header_timeout_ms = 5000;
  int request_timeout_ms = 30000;
  int idle_timeout_s = 60;
  std::size_t max_connections = 10000;
  std::size_t max_connections_per_ip = 1000;
  // Both set: the public listener speaks TLS itself (PEM files). Both empty: plain HTTP.
  std::filesystem::path tls_cert_file;
  std::filesystem::path tls_key_file;
  // Failed authentication on the partner routes, per client address and per tenant: a token
  // bucket of `auth_failure_burst` failures that refills `auth_failure_per_minute` a minute; once
  // spent, those routes answer 429 with Retry-After (docs/configuration.md, "server").
  int auth_failure_burst = 20;
  int auth_failure_per_minute = 12;
  // Stable report links (docs/configuration.md, "Report links"): the key signs the card's
  // /reports/{token} links; the previous key only verifies, during a rotation. Empty key: the
  // card carries the vendors' own links.
  Secret report_link_key;
  Secret report_link_previous_key;
};

// The admin listener (`admin:`): /metrics, /readyz and the operator API, apart from the public
// listener that Teamtailor and the vendors call. See docs/operations.md, "The admin listener".
struct AdminSettings {
  std::string listen = "127.0.0.1:9090";
  std::string host = "127.0.0.1";  // from listen, without IPv6 brackets
  std::uint16_t port = 9090;       // from listen; 0 means an ephemeral port
  // From listen "unix:PATH": the admin listener is a Unix socket at PATH (host and port unused).
  std::filesystem::path socket_path;
  std::filesystem::path token_file;  // empty: no token
  // The token read from token_file (surrounding whitespace removed); empty when none is set.
  // When set, /metrics and the operator API require `Authorization: Bearer <token>`.
  Secret token;
};

// One partner registration at Teamtailor: where its Partner API is and its two secrets. A partner
// registered on several Teamtailor stacks (EU, NA, AP) has one of these per stack.
struct TeamtailorConnection {
  std::string name;                                               // kDefaultConnection for the top
  std::string api_url = "https://api.teamtailor.com/partner/v1";  // no trailing slash
  Secret api_key;
  Secret webhook_secret;
};

// The name of the connection the top-level `teamtailor:` keys describe; a tenant that names no
// connection uses it.
inline constexpr const char* kDefaultConnection = "default";

struct TeamtailorSettings {
  // The default connection (docs/configuration.md, "Several Teamtailor connections").
  std::string api_url = "https://api.teamtailor.com/partner/v1";  // no trailing slash
  Secret api_key;
  Secret webhook_secret;
  int signature_tolerance_s = 300;
  std::vector<TeamtailorConnection> connections;  // `teamtailor.connections`, in file order
  // Names declared in `teamtailor.connections` whose entries have problems of their own (already
  // reported): a tenant naming one is not told that no such connection exists.
  std::vector<std::string> broken_connections;

  // The connection of that name ("" or "default": the top-level keys); nullopt when unknown.
  std::optional<TeamtailorConnection> connection(std::string_view name) const;
  // The default connection, then every named one.
  std::vector<TeamtailorConnection> all_connections() const;
};

struct StoreSettings {
  std::string url =
      "sqlite://var/ttbridge.db";  // sqlite://PATH | postgresql://... | postgres://...
  // Days a finished order keeps its candidate's personal data, timeline, done jobs and event
  // keys; 0 keeps everything forever.
  int retention_days = 90;

  bool is_sqlite() const;
  // The PATH of a sqlite:// url ("var/ttbridge.db"); empty for PostgreSQL.
  std::filesystem::path sqlite_path() const;
  // The url with any password replaced by "<redacted>", for logs.
  std::string redacted_url() const;
};

// How failed jobs are retried. In the main config (`jobs.retry`) every field has a value; in a
// tenant file (`retry:`) only the fields written there are set and override the main ones.
struct RetrySettings {
  std::optional<int> max_attempts;                      // runs in total, the first included
  std::optional<std::chrono::milliseconds> base_delay;  // backoff ceiling of the first retry
  std::optional<std::chrono::milliseconds> max_delay;   // backoff ceiling of any retry
  std::optional<std::chrono::milliseconds> deadline;    // from the job's creation

  // This policy with every field `overrides` sets replaced.
  RetrySettings merged(const RetrySettings& overrides) const;
};

// The job runner and what runs beside it (main config `jobs:`).
struct JobSettings {
  int workers = 8;
  // At most this many jobs of one tenant / of one tenant's provider run at once, so a burst of
  // one tenant or one slow vendor leaves workers for the others.
  int tenant_concurrency = 4;
  int provider_concurrency = 4;
  int provider_rate_per_s = 0;  // jobs started per second per provider; 0 = no limit
  // Teamtailor writes (result cards) run on threads of their own, outside the limits above, so
  // vendor work never starves them; this many writes are in flight to Teamtailor at most.
  int teamtailor_workers = 4;
  std::chrono::seconds poll_interval{300};
  // Reconciliation: an open order with no news for `reconcile_after` is polled (fetch_order);
  // the sweep runs every `reconcile_every`.
  std::chrono::seconds reconcile_after{3600};
  std::chrono::seconds reconcile_every{60};
  // PostgreSQL: a running job whose claim is older than this is claimable again by any daemon
  // (store::StoreOptions::job_lease; docs/scaling.md). The daemon renews its running jobs'
  // claims every third of it (jobs::LeaseKeeper).
  std::chrono::seconds lease{30};
  RetrySettings retry{10, std::chrono::milliseconds(1000), std::chrono::minutes(10),
                      std::chrono::hours(24)};
  // A vendor or a Teamtailor connection that stops answering (`jobs.breaker`,
  // jobs::OutageBreaker): after this many unanswered calls in a row a tenant's provider's jobs (or
  // the connection's pushes) wait, attempts kept, for `breaker_open`; then one job probes, and
  // each failed probe doubles the wait up to `breaker_open_max`. 0 failures: never opens.
  int breaker_failures = 5;
  std::chrono::seconds breaker_open{30};
  std::chrono::seconds breaker_open_max{600};
};

// Where a provider's plugin runs (docs/plugin-isolation.md): in a ttb-plugin-host child
// (`process`, the default) or inside ttbridged (`inproc`, faster, but a crash takes the daemon).
enum class Isolation { process, inproc };

struct ProviderSettings {
  std::string name;                                  // unique in the tenant
  std::string plugin;                                // plugin name: <plugins.dir>/<plugin>.so
  std::filesystem::path plugin_path;                 // plugins_dir / (plugin + ".so")
  nlohmann::json config = nlohmann::json::object();  // references resolved; may hold secrets
  bool enabled = true;
  Isolation isolation = Isolation::process;
  // Providers of the same plugin file and group share one child; "" is the file's default group.
  std::string isolation_group;
  SourceRef where;  // the provider's entry in the tenant file
};

struct TenantSettings {
  std::string id;
  std::optional<std::string> company_uuid;
  Secret activation_token;
  // The Teamtailor connection the company is on (`teamtailor_connection`); "" is the default.
  std::string teamtailor_connection;
  // The name of that connection, kDefaultConnection when the file names none.
  std::string_view connection_name() const {
    return teamtailor_connection.empty() ? std::string_view(kDefaultConnection)
                                         : std::string_view(teamtailor_connection);
  }
  // Accept the activation token itself as the Bearer provider key (activations older than the
  // JWT form). Off by default: a raw token carries no expiry.
  bool legacy_provider_key = false;
  std::vector<ProviderSettings> providers;
  RetrySettings retry;  // overrides of the main jobs.retry; unset fields inherit
  std::filesystem::path file;
};

// `plugins.confinement`: the limits each ttb-plugin-host child applies to itself at start
// (docs/plugin-isolation.md, "Confinement (main config, for every child)"). 0 keeps the daemon's
// own limit.
struct PluginConfinement {
  std::uint64_t memory_mb = 1024;    // RLIMIT_AS
  std::uint64_t cpu_seconds = 3600;  // RLIMIT_CPU over the child's life
  std::uint64_t open_files = 256;    // RLIMIT_NOFILE
  bool seccomp = true;               // the system-call allow-list
  std::string user;                  // "" = the daemon's user; else resolved at load into:
  std::optional<std::uint32_t> uid;
  std::optional<std::uint32_t> gid;
};

struct MainSettings {
  ServerSettings server;
  AdminSettings admin;
  TeamtailorSettings teamtailor;
  StoreSettings store;
  JobSettings jobs;
  std::filesystem::path plugins_dir;  // as written; relative to the working directory
  // `plugins.call_timeout_s`: how long a plugin call may take before the host ends it as a
  // timeout (retried like any retryable error).
  std::chrono::seconds plugin_call_timeout{30};
  PluginConfinement plugin_confinement;
  std::filesystem::path tenants_dir;  // as written; relative to the working directory
  std::filesystem::path file;         // the main config file
  SourceRef tenants_dir_at;           // where tenants.dir is written, for messages
};

struct Config {
  MainSettings main;
  std::vector<TenantSettings> tenants;
};

}  // namespace ttb::config
