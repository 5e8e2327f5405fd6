#pragma once
// ttbridged's wiring: build the objects from the loaded config, serve, and react to signals.
// No logic of its own beyond order of start and stop.

#include <filesystem>

namespace ttb::app {

struct DaemonOptions {
  std::filesystem::path config_path;
};

// Runs until SIGTERM/SIGINT. Returns the process exit code.
int run_daemon(const DaemonOptions& options);

}  // namespace ttb::app
