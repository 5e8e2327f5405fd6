#pragma once
// Internal: what every plugin instance shares with the PluginHost that created it (threads,
// io_context, the HTTP worker pool, options). Not part of the public interface.

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "plugins/internal/call_timers.h"
#include "plugins/internal/plugin_host.h"

namespace ttb::plugins {

class Instance;

struct PluginHost::Core {
  explicit Core(HostOptions opts);

  void log(LogLevel level, std::string event, const std::string& tenant,
           const std::string& provider, const std::string& plugin, std::string message) const;
  // Whether a line at `level` would be kept: test it before building an expensive message.
  bool logs(LogLevel level) const { return level >= options.log_level; }
  std::int64_t now_ms() const;

  HostOptions options;
  // Call deadlines fire here, not on `threads`, which plugin code may block. Declared before
  // `io`, so it is destroyed after it (and after the calls whose timers it holds).
  CallTimers timers;
  boost::asio::io_context io;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work;
  // Runs blocking HttpClient::send; none when the client sends asynchronously (the daemon's and
  // a child's do), so no idle threads are kept for it.
  std::optional<boost::asio::thread_pool> http_pool;
  std::vector<std::thread> threads;
  std::atomic<bool> stopping{false};

  std::mutex instances_mu;
  std::vector<std::weak_ptr<Instance>> instances;  // for shutdown: cancel their pending calls
};

}  // namespace ttb::plugins
