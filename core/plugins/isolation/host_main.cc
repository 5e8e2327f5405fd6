// ttb-plugin-host: one child process of ttbridged that runs plugins (docs/plugin-isolation.md).
// ttbridged starts it with the socketpair on descriptor 3; it is not meant to be run by hand.

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "plugins/isolation/child_server.h"

int main(int argc, char** argv) {
  ttb::plugins::isolation::ChildSettings settings;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--fd" && has_value) {
      settings.fd = std::atoi(argv[++i]);
    } else if (arg == "--host-clock") {
      settings.host_clock = true;
    } else if (arg == "--abi-minor" && has_value) {
      settings.abi_minor = static_cast<std::uint16_t>(std::atoi(argv[++i]));
    } else if (arg == "--call-timeout-ms" && has_value) {
      settings.call_timeout = std::chrono::milliseconds(std::atoll(argv[++i]));
    } else {
      std::fprintf(stderr,
                   "ttb-plugin-host: unknown argument %s; this program is started by ttbridged "
                   "(see docs/plugin-isolation.md)\n",
                   argv[i]);
      return 2;
    }
  }
  return ttb::plugins::isolation::serve_plugin_host(settings);
}
