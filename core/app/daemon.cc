#include "app/daemon.h"

#include <signal.h>

#include "app/engine.h"
#include "app/signals.h"
#include "app/systemd_notify.h"
#include "config/load.h"
#include "ops/allocator.h"
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

// SIGHUP: re-read the tenant files and swap the whole set, or keep the old one and say why.
void reload_tenants(const config::MainSettings& main, Engine& engine) {
  notify_reloading();
  config::TenantsResult loaded = config::load_tenants(main);
  std::vector<std::string> errors;
  if (loaded.ok()) errors = engine.reload(std::move(*loaded.tenants));
  if (!loaded.ok() || !errors.empty()) {
    log_problems(loaded.problems);
    for (const auto& error : errors) ops::log_error("reload_problem", {{"problem", error}});
    ops::log_error("reload_failed", {{"problems", loaded.problems.size() + errors.size()},
                                     {"detail", "the previous tenants keep serving"}});
  } else {
    ops::log_info("reloaded", {{"tenants", engine.tenant_count()}});
  }
  notify_ready();
}

}  // namespace

int run_daemon(const DaemonOptions& options) {
  block_daemon_signals();
  // A file-size limit (RLIMIT_FSIZE) or a full quota must fail the write with EFBIG, which the
  // store turns into a 503, not kill the daemon with SIGXFSZ.
  ::signal(SIGXFSZ, SIG_IGN);
  ops::init_logging();

  config::LoadResult loaded = config::load_config(options.config_path);
  if (!loaded.ok()) {
    log_problems(loaded.problems);
    ops::log_error("start_failed", {{"config", options.config_path.string()},
                                    {"problems", loaded.problems.size()}});
    return 1;
  }
  const config::MainSettings main = loaded.config->main;

  ops::Metrics metrics;
  Engine::StartResult started = Engine::start(std::move(*loaded.config), metrics);
  if (!started.engine) {
    for (const auto& error : started.errors) ops::log_error("start_problem", {{"problem", error}});
    ops::log_error("start_failed",
                   {{"config", options.config_path.string()}, {"problems", started.errors.size()}});
    return 1;
  }
  Engine& engine = *started.engine;

  // A Unix-socket admin listener has no host or port: its line names the socket instead.
  ops::log_info("listening", {{"host", main.server.host},
                              {"port", static_cast<int>(engine.port())},
                              {"admin_host", main.admin.host},
                              {"admin_port", static_cast<int>(engine.admin_port())},
                              {"admin_socket", main.admin.socket_path.string()},
                              {"version", ops::kVersion},
                              {"tenants", engine.tenant_count()},
                              {"store", main.store.redacted_url()},
                              {"allocator", ops::allocator_name()}});
  notify_ready();  // both listeners accept connections by now

  while (wait_for_signal() == SignalEvent::reload) reload_tenants(main, engine);

  notify_stopping();
  ops::log_info("stopping", {{"grace_s", main.server.shutdown_grace_s}});
  engine.stop(std::chrono::seconds(main.server.shutdown_grace_s));
  ops::log_info("stopped");
  return 0;
}

}  // namespace ttb::app
