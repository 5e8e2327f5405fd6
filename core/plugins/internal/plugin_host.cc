// PluginHost: threads, shutdown order and provider creation. See plugin_host.h.

#include "plugins/internal/plugin_host.h"

#include <chrono>

#include "ops/log.h"
#include "ops/thread_name.h"
#include "plugins/internal/host_core.h"
#include "plugins/internal/instance.h"

namespace ttb::plugins {

ops::Level to_ops(LogLevel level) {
  switch (level) {
    case LogLevel::debug:
      return ops::Level::debug;
    case LogLevel::info:
      return ops::Level::info;
    case LogLevel::warn:
      return ops::Level::warn;
    case LogLevel::error:
      return ops::Level::error;
  }
  return ops::Level::info;
}

LogLevel operator_log_level() {
  for (LogLevel level : {LogLevel::debug, LogLevel::info, LogLevel::warn})
    if (ops::enabled(to_ops(level))) return level;
  return LogLevel::error;
}

PluginHost::Core::Core(HostOptions opts) : options(std::move(opts)) {
  if (options.http && !options.http->sends_async())
    http_pool.emplace(options.http_threads == 0 ? 1 : options.http_threads);
}

void PluginHost::Core::log(LogLevel level, std::string event, const std::string& tenant,
                           const std::string& provider, const std::string& plugin,
                           std::string message) const {
  if (!logs(level)) return;
  try {
    if (options.log) {
      options.log(
          HostLogRecord{level, std::move(event), tenant, provider, plugin, std::move(message)});
      return;
    }
    ops::log_event(
        to_ops(level), event,
        {{"tenant", tenant}, {"provider", provider}, {"plugin", plugin}, {"message", message}});
  } catch (...) {
  }
}

std::int64_t PluginHost::Core::now_ms() const {
  if (options.now_ms) return options.now_ms();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

PluginHost::PluginHost(HostOptions options) : core_(std::make_shared<Core>(std::move(options))) {
  core_->work.emplace(core_->io.get_executor());
  unsigned n = core_->options.threads == 0 ? 1 : core_->options.threads;
  for (unsigned i = 0; i < n; ++i)
    core_->threads.emplace_back([core = core_.get()] {
      ops::name_this_thread("ttb-plugin");
      core->io.run();
    });
}

PluginHost::~PluginHost() {
  core_->stopping = true;  // new calls and HTTP requests are refused from here on
  // Running requests finish (bounded by their timeouts) and post replies; an asynchronous
  // client's answers still post theirs, to a strand that no longer runs.
  if (core_->http_pool) core_->http_pool->join();
  std::vector<std::shared_ptr<Instance>> alive;
  {
    std::lock_guard lock(core_->instances_mu);
    for (auto& w : core_->instances)
      if (auto i = w.lock()) alive.push_back(std::move(i));
  }
  for (auto& i : alive)
    i->cancel_all("the plugin host is shutting down");  // also stops their timers
  core_->timers.stop();  // no call is pending now, and no new one starts
  alive.clear();
  core_->work.reset();
  for (auto& t : core_->threads) t.join();
}

const HostOptions& PluginHost::options() const {
  return core_->options;
}

CreateProviderResult PluginHost::create_provider(const std::string& tenant_id,
                                                 const config::ProviderSettings& settings) {
  return create_provider(tenant_id, settings.name, settings.plugin_path, settings.config);
}

CreateProviderResult PluginHost::create_provider(const std::string& tenant_id,
                                                 const std::string& provider_name,
                                                 const std::filesystem::path& plugin_path,
                                                 const nlohmann::json& config) {
  CreateProviderResult result;
  const std::string where = "tenant " + tenant_id + ", provider " + provider_name + ": ";
  try {
    if (!core_->options.http) {
      result.error = where + "the plugin host has no HTTP client";
      return result;
    }
    LoadResult loaded = load_plugin(plugin_path, TTB_ABI_MAJOR, core_->options.abi_minor);
    if (!loaded.plugin) {
      result.error = where + loaded.error;
      return result;
    }
    auto instance = std::make_shared<Instance>(core_, loaded.plugin, tenant_id, provider_name);
    std::string error;
    if (!instance->create(config.dump(), error)) {
      result.error = where + "plugin " + loaded.plugin->id + " (" + loaded.plugin->path.string() +
                     "): " + error;
      return result;
    }
    {
      std::lock_guard lock(core_->instances_mu);
      std::erase_if(core_->instances, [](const std::weak_ptr<Instance>& w) { return w.expired(); });
      core_->instances.push_back(instance);
    }
    core_->log(
        LogLevel::info, host_event::kInstanceCreated, tenant_id, provider_name, loaded.plugin->id,
        "plugin " + loaded.plugin->id + " " + loaded.plugin->version + " (ABI " +
            std::to_string(TTB_ABI_MAJOR) + "." + std::to_string(loaded.plugin->abi_minor) + ")");
    result.provider = std::make_shared<PluginProvider>(std::move(instance));
  } catch (const std::exception& e) {
    result.error = where + e.what();
  }
  return result;
}

}  // namespace ttb::plugins
