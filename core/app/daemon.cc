#include "app/daemon.h"

#include <atomic>
#include <memory>
#include <mutex>

#include "app/signals.h"
#include "app/systemd_notify.h"
#include "config/load.h"
#include "http/ops_routes.h"
#include "net/http_server.h"
#include "ops/log.h"
#include "ops/metrics.h"
#include "ops/version.h"

namespace ttb::app {
namespace {

void log_problems(const std::vector<config::Problem>& problems) {
  for (const auto& problem : problems) {
    ops::log_error("config_problem", {{"problem", problem.to_string()}});
  }
}

net::ServerOptions server_options(const config::ServerSettings& s) {
  net::ServerOptions o;
  o.host = s.host;
  o.port = s.port;
  o.max_body_bytes = s.max_body_bytes;
  o.threads = s.threads;
  return o;
}

// The tenants currently served. SIGHUP builds a complete new set and swaps it in one step, so a
// request sees either the old set or the new one, never a mix.
class TenantSet {
 public:
  explicit TenantSet(std::vector<config::TenantSettings> tenants)
      : current_(std::make_shared<const std::vector<config::TenantSettings>>(std::move(tenants))) {}

  std::shared_ptr<const std::vector<config::TenantSettings>> current() const {
    std::lock_guard lock(mutex_);
    return current_;
  }
  void replace(std::vector<config::TenantSettings> tenants) {
    auto next = std::make_shared<const std::vector<config::TenantSettings>>(std::move(tenants));
    std::lock_guard lock(mutex_);
    current_ = std::move(next);
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const std::vector<config::TenantSettings>> current_;
};

void reload_tenants(const config::MainSettings& main, TenantSet& tenants) {
  notify_reloading();
  config::TenantsResult loaded = config::load_tenants(main);
  if (!loaded.tenants) {
    log_problems(loaded.problems);
    ops::log_error("reload_failed", {{"problems", loaded.problems.size()},
                                     {"detail", "the previous tenants keep serving"}});
  } else {
    tenants.replace(std::move(*loaded.tenants));
    ops::log_info("reloaded", {{"tenants", tenants.current()->size()}});
  }
  notify_ready();
}

}  // namespace

int run_daemon(const DaemonOptions& options) {
  block_daemon_signals();
  ops::init_logging();

  config::LoadResult loaded = config::load_config(options.config_path);
  if (!loaded.ok()) {
    log_problems(loaded.problems);
    ops::log_error("start_failed", {{"config", options.config_path.string()},
                                    {"problems", loaded.problems.size()}});
    return 1;
  }
  const config::MainSettings main = loaded.config->main;
  TenantSet tenants(std::move(loaded.config->tenants));

  ops::Metrics metrics;
  auto router = std::make_shared<net::Router>();
  http::add_ops_routes(*router, metrics, [] { return std::string(); });

  std::unique_ptr<net::HttpServer> server;
  try {
    server = net::make_http_server(
        server_options(main.server), router,
        [&metrics](const net::Request& request, const std::string& route, int status,
                   std::chrono::microseconds elapsed) {
          metrics.observe_request(route, request.method, status, elapsed.count() / 1e6);
          if (ops::enabled(ops::Level::debug)) {
            ops::log_debug("http_request", {{"route", route}, {"status", status},
                                            {"duration_ms", elapsed.count() / 1000.0},
                                            {"request_id", request.request_id}});
          }
        });
    server->start();
  } catch (const std::exception& e) {
    ops::log_error("start_failed", {{"error", e.what()}});
    return 1;
  }

  ops::log_info("listening", {{"host", main.server.host}, {"port", static_cast<int>(server->port())},
                              {"version", ops::kVersion}, {"tenants", tenants.current()->size()}});
  notify_ready();

  while (wait_for_signal() == SignalEvent::reload) reload_tenants(main, tenants);

  notify_stopping();
  ops::log_info("stopping", {{"grace_s", main.server.shutdown_grace_s}});
  server->stop(std::chrono::seconds(main.server.shutdown_grace_s));
  ops::log_info("stopped");
  return 0;
}

}  // namespace ttb::app
