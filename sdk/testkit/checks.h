#pragma once
// The check sequence of the conformance kit, run in whichever process plugin_check.cc chose.

#include <filesystem>
#include <functional>
#include <string>

#include "testkit/plugin_check.h"

namespace ttb::testkit {

// Receives each finding line (no newline). Lines starting with '@' are progress markers
// ("@stage list_tests") for the supervising process, not findings.
using LineSink = std::function<void(const std::string& line)>;

// Runs every check; returns 0 when none failed. `on_block` runs (on the watchdog thread) when
// plugin code overruns options.block_limit; the isolated runner exits the process there.
int run_checks(const std::filesystem::path& so, const std::string& config_json,
               const CheckOptions& options, const LineSink& sink,
               const std::function<void()>& on_block);

}  // namespace ttb::testkit
