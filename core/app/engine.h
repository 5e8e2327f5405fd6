#pragma once
// The running engine: every long-lived object of ttbridged, built from the loaded config in
// dependency order and torn down in reverse. daemon.cc drives its life cycle from signals.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "config/settings.h"
#include "ops/metrics.h"

namespace ttb::app {

class Engine {
 public:
  struct StartResult {
    std::unique_ptr<Engine> engine;   // null when something could not start
    std::vector<std::string> errors;  // what and why, naming files and settings
  };

  // Opens the store, loads the plugins, builds the tenants, starts the job runner and both HTTP
  // listeners (public and admin). The engine is serving when this returns one. The tenant
  // settings are moved into the tenant set, so the caller should hand over its config rather
  // than keep a second copy of 2,000 providers' settings.
  static StartResult start(config::Config config, ops::Metrics& metrics);

  virtual ~Engine() = default;
  virtual unsigned short port() const = 0;        // the public listener (server.listen)
  virtual unsigned short admin_port() const = 0;  // the admin listener (admin.listen)
  // SIGHUP: swaps in a new tenant set; on errors the current set keeps serving.
  virtual std::vector<std::string> reload(std::vector<config::TenantSettings> tenants) = 0;
  virtual std::size_t tenant_count() const = 0;
  // Stops accepting requests, drains in-flight requests and jobs (bounded by `grace`), closes
  // the store. Jobs still running at the deadline stay in the store for the next start.
  virtual void stop(std::chrono::milliseconds grace) = 0;
};

}  // namespace ttb::app
