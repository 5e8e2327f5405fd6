#pragma once
// The shared body of `ttbridged --check` and `ttbridge config check`: load, validate, print one
// line per problem, and answer the exit code.

#include <filesystem>
#include <iosfwd>

namespace ttb::app {

inline constexpr const char* kDefaultConfigPath = "config/ttbridged.yaml";

int check_config(const std::filesystem::path& config_path, std::ostream& out, std::ostream& err);

}  // namespace ttb::app
