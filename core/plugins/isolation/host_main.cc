// ttb-plugin-host: one child process of ttbridged that runs plugins (docs/plugin-isolation.md).
// ttbridged starts it with the socketpair on descriptor 3; it is not meant to be run by hand.

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "plugins/isolation/child_server.h"
#include "plugins/isolation/confinement.h"

int main(int argc, char** argv) {
  ttb::plugins::isolation::ChildSettings settings;
  ttb::plugins::isolation::ConfinementSettings confinement;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--fd" && has_value) {
      settings.fd = std::atoi(argv[++i]);
    } else if (arg == "--host-clock") {
      settings.host_clock = true;
    } else if (arg == "--abi-minor" && has_value) {
      settings.abi_minor = static_cast<std::uint16_t>(std::atoi(argv[++i]));
    } else if (arg == "--log-level" && has_value) {
      // The log frame's encoding of a level (messages.cc): 0 debug to 3 error.
      const int level = std::atoi(argv[++i]);
      if (level >= 0 && level <= 3) settings.log_level = static_cast<ttb::plugins::LogLevel>(level);
    } else if (arg == "--call-timeout-ms" && has_value) {
      settings.call_timeout = std::chrono::milliseconds(std::atoll(argv[++i]));
    } else if (arg == "--memory-mb" && has_value) {
      confinement.memory_bytes = std::strtoull(argv[++i], nullptr, 10) << 20;
    } else if (arg == "--cpu-seconds" && has_value) {
      confinement.cpu_seconds = std::strtoull(argv[++i], nullptr, 10);
    } else if (arg == "--open-files" && has_value) {
      confinement.open_files = std::strtoull(argv[++i], nullptr, 10);
    } else if (arg == "--no-seccomp") {
      confinement.seccomp = false;
    } else if (arg == "--uid" && has_value) {
      confinement.uid = static_cast<uid_t>(std::strtoul(argv[++i], nullptr, 10));
    } else if (arg == "--gid" && has_value) {
      confinement.gid = static_cast<gid_t>(std::strtoul(argv[++i], nullptr, 10));
    } else {
      std::fprintf(stderr,
                   "ttb-plugin-host: unknown argument %s; this program is started by ttbridged "
                   "(see docs/plugin-isolation.md)\n",
                   argv[i]);
      return 2;
    }
  }
  // Confined before any plugin is loaded and before a second thread exists (confinement.h):
  // everything the plugin runs later inherits it.
  confinement.keep_fds = {STDERR_FILENO, settings.fd};
  const auto confined = ttb::plugins::isolation::apply_confinement(confinement);
  if (!confined.ok()) {
    std::fprintf(stderr, "ttb-plugin-host: cannot confine the plugin process: %s\n",
                 confined.describe().c_str());
    return 3;
  }
  return ttb::plugins::isolation::serve_plugin_host(settings);
}
