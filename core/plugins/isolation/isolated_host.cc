// IsolatedHost: one supervised child per (plugin file, group); see isolated_host.h.

#include "plugins/isolation/isolated_host.h"

#include <algorithm>

#include "plugins/isolation/remote_provider.h"

namespace ttb::plugins::isolation {

IsolatedHost::IsolatedHost(IsolationOptions options) : options_(std::move(options)) {}

std::shared_ptr<PluginProcess> IsolatedHost::process_for(const std::filesystem::path& plugin_path,
                                                         const std::string& group) {
  std::error_code ec;
  std::filesystem::path canonical = std::filesystem::weakly_canonical(plugin_path, ec);
  if (ec) canonical = plugin_path;
  std::lock_guard lock(mu_);
  auto& slot = processes_[{canonical.string(), group}];
  if (auto live = slot.lock()) return live;
  ProcessOptions po;
  po.host_binary = options_.host_binary;
  po.plugin_path = canonical;
  po.group = group;
  po.host = options_.host;
  po.policy = options_.policy;
  po.confinement = options_.confinement;
  po.on_event = options_.on_event;
  auto process = std::make_shared<PluginProcess>(std::move(po));
  slot = process;
  return process;
}

CreateProviderResult IsolatedHost::create_provider(const std::string& tenant_id,
                                                   const config::ProviderSettings& settings) {
  return create_provider(tenant_id, settings.name, settings.plugin_path, settings.config,
                         settings.isolation_group);
}

CreateProviderResult IsolatedHost::create_provider(const std::string& tenant_id,
                                                   const std::string& provider_name,
                                                   const std::filesystem::path& plugin_path,
                                                   const nlohmann::json& config,
                                                   const std::string& group) {
  return start_provider(tenant_id, provider_name, plugin_path, config, group).wait();
}

PendingProvider IsolatedHost::start_provider(const std::string& tenant_id,
                                             const config::ProviderSettings& settings) {
  return start_provider(tenant_id, settings.name, settings.plugin_path, settings.config,
                        settings.isolation_group);
}

PendingProvider IsolatedHost::start_provider(const std::string& tenant_id,
                                             const std::string& provider_name,
                                             const std::filesystem::path& plugin_path,
                                             const nlohmann::json& config,
                                             const std::string& group) {
  PendingProvider pending;
  pending.tenant_ = tenant_id;
  pending.name_ = provider_name;
  const std::string where = "tenant " + tenant_id + ", provider " + provider_name + ": ";
  try {
    if (!options_.host.http) {
      pending.failed_.error = where + "the plugin host has no HTTP client";
      return pending;
    }
    std::error_code ec;
    if (!std::filesystem::is_regular_file(options_.host_binary, ec)) {
      pending.failed_.error = where + "isolation: process needs " + options_.host_binary.string() +
                              ", which does not exist; install ttb-plugin-host next to "
                              "ttbridged, or set isolation: inproc on the provider";
      return pending;
    }
    if (!std::filesystem::is_regular_file(plugin_path, ec)) {
      pending.failed_.error = where + "plugin file not found: " + plugin_path.string();
      return pending;
    }
    auto process = process_for(plugin_path, group);
    CreateRequest request;
    request.tenant = tenant_id;
    request.provider = provider_name;
    request.plugin_path = plugin_path.string();
    request.config_json = config.dump();
    request.abi_minor = options_.host.abi_minor;
    request.host_clock = static_cast<bool>(options_.host.now_ms);
    pending.start_ = process->start_instance(request);
    pending.process_ = std::move(process);
  } catch (const std::exception& e) {
    pending.failed_.error = where + e.what();
  }
  return pending;
}

PendingProvider::~PendingProvider() {
  try {
    if (start_.info.valid()) wait();  // an instance nobody took: created, then destroyed
  } catch (...) {
  }
}

CreateProviderResult PendingProvider::wait() {
  if (!start_.info.valid()) return std::move(failed_);
  InstanceInfo info = start_.info.get();
  CreateProviderResult result;
  if (!info.ok) {
    const std::string where = "tenant " + tenant_ + ", provider " + name_ + ": ";
    result.error = info.error.rfind("tenant ", 0) == 0 ? info.error : where + info.error;
    return result;
  }
  result.provider = std::make_shared<RemoteProvider>(std::move(process_), start_.key,
                                                     std::move(info), tenant_, name_);
  return result;
}

std::vector<std::string> IsolatedHost::quarantined() const {
  std::vector<std::string> out;
  std::lock_guard lock(mu_);
  for (const auto& [key, weak] : processes_)
    if (auto p = weak.lock(); p && p->quarantined()) out.push_back(p->plugin());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

LiftedQuarantines IsolatedHost::release_quarantines() {
  std::vector<std::shared_ptr<PluginProcess>> live;
  {
    std::lock_guard lock(mu_);
    for (const auto& [key, weak] : processes_)
      if (auto p = weak.lock()) live.push_back(std::move(p));
  }
  LiftedQuarantines lifted;
  for (auto& p : live)
    if (p->release_quarantine()) lifted.processes.push_back(std::move(p));
  return lifted;
}

void LiftedQuarantines::restore() const {
  for (const auto& p : processes) p->restore_quarantine();
}

}  // namespace ttb::plugins::isolation
