#pragma once
// The child's side of plugin isolation: what ttb-plugin-host runs once its descriptor is in
// place. It loads plugins with the same loader and PluginHost as an in-process daemon, so a
// plugin cannot tell where it runs; its host services (log, HTTP, clock) go back to the daemon.

#include <chrono>
#include <cstdint>

#include "plugins/internal/plugin_host.h"

namespace ttb::plugins::isolation {

struct ChildSettings {
  int fd = 3;                   // the child's end of the socketpair
  bool host_clock = false;      // now_ms() asks the daemon instead of reading the system clock
  std::uint16_t abi_minor = 0;  // the host ABI minor the daemon plays
  std::chrono::milliseconds call_timeout{35000};  // a backstop: the daemon's deadline is shorter
  LogLevel log_level = LogLevel::debug;           // the daemon's: lines below it are not sent
};

// The exit code of a child whose stream from the daemon broke (a frame it could not read), as
// opposed to 0 for a daemon that closed it. ttb-plugin-host's others: 2 arguments, 3 confinement.
inline constexpr int kExitStreamBroke = 4;

// Serves the daemon on `settings.fd` until it closes the socket; returns the exit code.
int serve_plugin_host(const ChildSettings& settings);

}  // namespace ttb::plugins::isolation
