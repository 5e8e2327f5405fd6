#pragma once
// One real ttbridged for flow tests: writes its main config and tenant files into a TempDir,
// points it at a FakeTeamtailor and the built plugins, starts it on a loopback port chosen up
// front (so server.public_url, the base of vendor callback URLs, is the daemon's own address) with
// its admin listener on a port of its own,
// and hands out a WebhookSender, plain HTTP helpers and waits on the fake's partner-result writes.

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "daemon_process.h"
#include "fakes/teamtailor/fake_teamtailor.h"
#include "fakes/teamtailor/webhook_sender.h"
#include "net/http_client.h"
#include "store/store.h"
#include "temp_dir.h"

namespace ttb::testing {

struct EngineOptions {
  // Tenant files: {file name under tenants/, YAML}. See tenant_yaml() for the common shape.
  std::vector<std::pair<std::string, std::string>> tenants;
  // Extra environment for ttbridged (secrets referenced by tenant files as ${env:NAME}).
  std::vector<std::pair<std::string, std::string>> env;
  // Extra lines under `server:` in the main config, e.g. "  max_body_bytes: 4096".
  std::string server_extra;
  // Extra lines under `teamtailor:` in the main config, e.g. "  connections:\n    na: ...".
  std::string teamtailor_extra;
  // store.url; "" = the SQLite file var/ttbridge.db in the temp dir (store_path()).
  std::string store_url;
  // When set, written to admin.token in the config's directory and named by admin.token_file.
  std::string admin_token;
  // admin.listen: by default a port the system picks; "unix:PATH" makes it a Unix socket.
  std::string admin_listen = "127.0.0.1:0";
  // plugins.dir; "" = the built plugins (plugin_dir()).
  std::filesystem::path plugins_dir;
  // Extra lines under `plugins:` in the main config, e.g. "  confinement: { user: nobody }".
  std::string plugins_extra;
  std::string partner_api_key = "tt-fake-partner-api-key";
  std::string webhook_secret = "tt-fake-webhook-secret";
};

// A tenant file: `providers_yaml` is the YAML list under `providers:` (each line indented by two
// spaces, e.g. "  - name: testvendor\n    plugin: testvendor\n    config: {...}\n"), or "" for [].
std::string tenant_yaml(const std::string& id, const std::string& activation_token,
                        const std::string& providers_yaml,
                        const std::optional<std::string>& company_uuid = std::nullopt);

// A free TCP port on 127.0.0.1 right now (bound, read, closed). The daemon then listens on it.
unsigned short free_loopback_port();

class Engine {
 public:
  explicit Engine(EngineOptions options);
  ~Engine();  // stops the daemon (SIGKILL if still running)
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Starts ttbridged; false (with the log in log()) when it did not come up.
  bool start();
  // SIGTERM and wait; true when it exited 0. The store file can be opened afterwards.
  bool stop();

  std::string base_url() const;  // http://127.0.0.1:<port>, also server.public_url
  // The admin listener (/metrics, /readyz), on a port the system picks (admin.listen port 0).
  std::string admin_url() const;
  const TempDir& dir() const { return dir_; }
  std::filesystem::path store_path() const;  // the SQLite file (when store_url is "")
  std::string store_url() const;             // the store.url the daemon was given
  std::filesystem::path config_path() const;
  DaemonProcess& daemon() { return *daemon_; }
  std::string log() const;

  fakes::FakeTeamtailor& teamtailor() { return *teamtailor_; }
  fakes::WebhookSender& sender() { return *sender_; }
  net::HttpClient& http() { return *http_; }

  // A plain request to the daemon (no Teamtailor auth): GET/POST path with optional body.
  net::ClientResponse request(const std::string& method, const std::string& path,
                              const std::string& body = "", net::Headers headers = {});
  // A plain request to the admin listener, e.g. GET /metrics.
  net::ClientResponse admin_request(const std::string& method, const std::string& path);
  net::ClientResponse admin_request(const std::string& method, const std::string& path,
                                    const std::string& body, net::Headers headers);
  // GET /config?... as Teamtailor calls it for `token`, parsed (null when the body is not JSON).
  nlohmann::json config_form(const std::string& token, const std::string& query = "job_id=77");

  // Waits (default 10 s) until some partner-result write satisfies `predicate`; returns it.
  std::optional<fakes::PartnerResultWrite> wait_for_write(
      const std::function<bool(const fakes::PartnerResultWrite&)>& predicate,
      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // The first write for `result_id` whose attributes.status is `status`.
  std::optional<fakes::PartnerResultWrite> wait_for_status(
      const std::string& result_id, const std::string& status,
      std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // The store as the daemon wrote it, read beside the running daemon (as the ttbridge CLI
  // does). A webhook is answered only after its commit, so these see every acknowledged request.
  std::optional<store::OrderRecord> order(const std::string& id);
  std::vector<store::OrderRecord> orders(const std::string& tenant = "");
  std::vector<store::TimelineEntry> timeline(const std::string& id);

  // Runs the ttbridge CLI on this config (e.g. {"orders", "list", "--json"}); stdout, exit code.
  // `env` adds to (or overrides) the daemon's environment for this run only.
  std::pair<std::string, int> cli(
      const std::vector<std::string>& args,
      const std::vector<std::pair<std::string, std::string>>& env = {}) const;

 private:
  // Writes the main config (for the port chosen), the tenant files and the folders the daemon
  // needs into dir().
  void write_config();
  EngineOptions options_;
  TempDir dir_;
  unsigned short port_ = 0;
  std::unique_ptr<fakes::FakeTeamtailor> teamtailor_;
  std::shared_ptr<net::HttpClient> http_;
  std::unique_ptr<fakes::WebhookSender> sender_;
  std::unique_ptr<DaemonProcess> daemon_;
  std::unique_ptr<store::Store> store_;  // opened on first use
  store::Store& store();
};

}  // namespace ttb::testing
