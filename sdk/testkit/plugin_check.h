#pragma once
// The conformance kit: loads a plugin under a fake host (HTTP answered with 503, no network)
// and checks the ABI contract. Behind `ttbridge plugin check PATH.so [--config JSON]` and the
// ttb-plugin-check tool.

#include <chrono>
#include <filesystem>
#include <ostream>
#include <string>

namespace ttb::testkit {

struct CheckOptions {
  std::chrono::milliseconds block_limit{1000};    // a plugin function must return within this
  std::chrono::milliseconds call_limit{5000};     // ... and complete its call within this
  std::chrono::milliseconds grace{50};            // watched after a completion, for a second one
  std::chrono::milliseconds total_limit{120000};  // the whole run
  // Run the checks in a child process, so a plugin that crashes (SIGSEGV) or hangs is reported
  // instead of taking the caller down. Off: same process (for debuggers).
  bool isolate = true;
};

// Writes one line per finding to `out` ("PASS check: ...", "WARN ...", "FAIL ...") and a final
// "RESULT PASS|FAIL ..." line. Returns 0 when no check failed, 1 otherwise. `config_json` is
// what the plugin's create() receives; when empty, the plugin's sample_config (ABI 1.1), or
// "{}" for a plugin without one. Never throws.
int run_plugin_check(const std::filesystem::path& so, const std::string& config_json,
                     std::ostream& out);
int run_plugin_check(const std::filesystem::path& so, const std::string& config_json,
                     std::ostream& out, const CheckOptions& options);

}  // namespace ttb::testkit
