#pragma once
// Creates providers whose plugins run in ttb-plugin-host children (docs/plugin-isolation.md):
// one child per plugin library and isolation group, shared by every provider of every tenant
// that uses them; a quarantined one is started afresh at the next reload.

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "config/settings.h"
#include "plugins/internal/plugin_host.h"
#include "plugins/isolation/plugin_process.h"

namespace ttb::plugins::isolation {

struct IsolationOptions {
  HostOptions host;  // the daemon's HTTP client, call deadline, log and clock, as in process
  std::filesystem::path host_binary = default_host_binary();
  SupervisionPolicy policy;
  ConfinementSettings confinement;  // every child's (plugins.confinement in the main config)
  std::function<void(const ProcessEvent&)> on_event;  // metrics; may be empty
};

// A provider whose create is on its way to its child (IsolatedHost::start_provider). Destroying
// one that was never waited for waits for it and destroys the instance.
class PendingProvider {
 public:
  PendingProvider() = default;
  ~PendingProvider();
  PendingProvider(PendingProvider&&) = default;
  PendingProvider& operator=(PendingProvider&&) = delete;
  PendingProvider(const PendingProvider&) = delete;
  PendingProvider& operator=(const PendingProvider&) = delete;

  // Waits for the child's answer; what create_provider() would have returned. Once only.
  CreateProviderResult wait();

 private:
  friend class IsolatedHost;
  CreateProviderResult failed_;  // a failure found before anything was sent
  std::shared_ptr<PluginProcess> process_;
  PluginProcess::InstanceStart start_;
  std::string tenant_;
  std::string name_;
};

// The quarantines a reload lifted, held until the reload is known to have worked.
struct LiftedQuarantines {
  std::vector<std::shared_ptr<PluginProcess>> processes;

  bool empty() const { return processes.empty(); }
  // The reload failed: each quarantine holds again, its fresh child stopped.
  void restore() const;
};

class IsolatedHost {
 public:
  explicit IsolatedHost(IsolationOptions options);
  // Children live as long as providers use them; destroy every provider before the host.
  ~IsolatedHost() = default;
  IsolatedHost(const IsolatedHost&) = delete;
  IsolatedHost& operator=(const IsolatedHost&) = delete;

  // Never throws. The error names the tenant, the provider and the plugin file.
  CreateProviderResult create_provider(const std::string& tenant_id,
                                       const config::ProviderSettings& settings);
  CreateProviderResult create_provider(const std::string& tenant_id,
                                       const std::string& provider_name,
                                       const std::filesystem::path& plugin_path,
                                       const nlohmann::json& config, const std::string& group = "");

  // create_provider() without the wait: the create is sent and the answer waited for later, so
  // a daemon starting thousands of providers has them all in flight at once instead of one
  // round trip to the child after another.
  PendingProvider start_provider(const std::string& tenant_id,
                                 const config::ProviderSettings& settings);
  PendingProvider start_provider(const std::string& tenant_id, const std::string& provider_name,
                                 const std::filesystem::path& plugin_path,
                                 const nlohmann::json& config, const std::string& group = "");

  // The plugins (file stems) whose children are quarantined, sorted.
  std::vector<std::string> quarantined() const;
  // A reload: every quarantined child is started afresh (providers whose settings did not change
  // keep their instance, so the quarantine is lifted in place). Lifted before the new tenants
  // are built, whose instances are created in those children; a reload that then fails puts the
  // quarantines back (LiftedQuarantines::restore()).
  LiftedQuarantines release_quarantines();

 private:
  std::shared_ptr<PluginProcess> process_for(const std::filesystem::path& plugin_path,
                                             const std::string& group);

  IsolationOptions options_;
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, std::weak_ptr<PluginProcess>> processes_;
};

}  // namespace ttb::plugins::isolation
