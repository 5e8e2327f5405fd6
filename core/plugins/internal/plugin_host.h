#pragma once
// The host side of the plugin ABI: owns the threads plugins run on, creates one plugin instance
// per provider of a tenant, and serves the host services (log, HTTP, complete, clock).

#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "config/settings.h"
#include "net/http_client.h"
#include "ops/log.h"
#include "plugins/provider.h"
#include "ttbridge/plugin.h"

namespace ttb::plugins {

enum class LogLevel { debug, info, warn, error };
// The operator log's level for a host log line (in the daemon and for its plugin children).
ops::Level to_ops(LogLevel level);
// The lowest level the operator's log writes (ttb::ops::enabled): what HostOptions::log_level
// should be in the daemon.
LogLevel operator_log_level();

// The events a plugin host logs (HostLogRecord::event), stable keys of the operator's log. They
// are all a ttb-plugin-host child may send: the daemon logs a child's line naming any other as
// kLog (isolation/messages.cc), since a plugin there can write frames of its own.
namespace host_event {
inline constexpr const char* kLog = "plugin_log";  // a line the plugin logged
inline constexpr const char* kHttp = "plugin_http";
inline constexpr const char* kHttpRefused = "plugin_http_refused";
inline constexpr const char* kCallTimeout = "plugin_call_timeout";
inline constexpr const char* kLateCompletion = "plugin_late_completion";
inline constexpr const char* kContract = "plugin_contract";
inline constexpr const char* kInstanceCreated = "plugin_instance_created";
inline constexpr std::array<std::string_view, 7> kAll = {
    kLog, kHttp, kHttpRefused, kCallTimeout, kLateCompletion, kContract, kInstanceCreated};
}  // namespace host_event

// One line for the operator's log. `event` is one of host_event's; `message` is free text without
// secrets.
struct HostLogRecord {
  LogLevel level = LogLevel::info;
  std::string event;
  std::string tenant;
  std::string provider;
  std::string plugin;
  std::string message;
};

// One outbound request made for a plugin: the seam for per-plugin metrics.
struct HttpCallRecord {
  std::string tenant;
  std::string provider;
  std::string plugin;
  std::string method;
  int http_status = 0;  // 0: no answer (see error)
  bool transport_failed = false;
  std::chrono::milliseconds duration{0};
};

struct HostOptions {
  // Performs plugin HTTP. Required; tests inject a fake. Called off the strand, from
  // http_threads worker threads, and may block up to the request's timeout; a client that
  // sends_async() is called on the plugin's own thread instead, and answers on one of its own.
  std::shared_ptr<net::HttpClient> http;
  std::chrono::milliseconds call_timeout{30000};          // deadline of every provider call
  std::chrono::milliseconds http_default_timeout{10000};  // when the plugin asks for 0
  std::chrono::milliseconds http_max_timeout{60000};      // a plugin cannot ask for more
  std::size_t max_response_bytes = std::size_t{8} * 1024 * 1024;
  unsigned threads = 2;                     // run plugin code (strands)
  unsigned http_threads = 4;                // run a blocking HttpClient::send (none if async)
  std::uint16_t abi_minor = TTB_ABI_MINOR;  // tests play a newer host
  // The clock plugins see through now_ms(); default: the system clock.
  std::function<std::int64_t()> now_ms;
  // Where host log lines go; default: ttb::ops::log_event.
  std::function<void(const HostLogRecord&)> log;
  // Lines below this level are dropped before they are built: in a plugin child, before they
  // cross the socket to a daemon that would drop them too (a debug line per plugin HTTP call).
  LogLevel log_level = LogLevel::debug;
  // Called after every plugin HTTP request (metrics seam); may be empty.
  std::function<void(const HttpCallRecord&)> on_http;
};

struct CreateProviderResult {
  std::shared_ptr<Provider> provider;  // null on failure
  std::string error;                   // names the tenant, provider and plugin file
};

class PluginHost {
 public:
  explicit PluginHost(HostOptions options);
  // Waits for plugin HTTP requests still running, then stops the threads. Calls still pending
  // complete with `cancelled`. Destroy every Provider before the host.
  ~PluginHost();
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  // Loads the provider's plugin (once per file) and creates its instance with `config` as JSON.
  // Never throws.
  CreateProviderResult create_provider(const std::string& tenant_id,
                                       const config::ProviderSettings& settings);
  CreateProviderResult create_provider(const std::string& tenant_id,
                                       const std::string& provider_name,
                                       const std::filesystem::path& plugin_path,
                                       const nlohmann::json& config);

  const HostOptions& options() const;

  struct Core;  // threads, io_context and options shared with the instances

 private:
  std::shared_ptr<Core> core_;
};

// Maps an ABI status (ttb_status) to CallStatus; unknown values map to `internal`.
CallStatus call_status_from_abi(std::int32_t status);

}  // namespace ttb::plugins
