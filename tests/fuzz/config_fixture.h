#pragma once
// Shared by the config fuzz targets: a folder of their own (created once per process) holding a
// secret file and a plugin, a fixed environment, and the guard that keeps `${file:...}` inside
// that folder.

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/load.h"
#include "fuzz_support.h"

namespace ttb::fuzz {

// The folder: secret (a secret file), plugins/checkr.so, tenants/. Removed when the process ends.
inline const std::filesystem::path& config_dir() {
  static const std::filesystem::path dir = [] {
    std::string pattern = (std::filesystem::temp_directory_path() / "ttb-fuzz-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    std::filesystem::path made(pattern);
    std::filesystem::create_directories(made / "plugins");
    std::filesystem::create_directories(made / "tenants");
    std::ofstream(made / "secret") << "s3cret-value\n";
    std::ofstream(made / "plugins" / "checkr.so") << "not really elf";
    static const struct Cleanup {
      std::filesystem::path dir;
      ~Cleanup() {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
      }
    } cleanup{made};
    return made;
  }();
  return dir;
}

inline config::Environment fixed_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    static const std::map<std::string, std::string> env = {
        {"TT_KEY", "tt-api-key-value-1"},
        {"TT_SECRET", "tt-webhook-secret-value-2"},
        {"EMPTY", ""},
        {"CHECKR_KEY", "sk_test_1"}};
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
}

// False for inputs whose `${file:...}` could leave the fixture folder: a path with '/' (or a
// backslash escape that could spell one). Those would read the host's files (/dev/zero, FIFOs),
// which tests the machine rather than the parser.
inline bool stays_in_fixture(std::string_view text) {
  if (text.find('\\') != std::string_view::npos) return false;
  return text.find("file:") == std::string_view::npos || text.find('/') == std::string_view::npos;
}

// Problem messages name a reference, never the secret behind it (unless the input itself holds
// the secret's text).
inline void check_no_secret_in(const std::vector<config::Problem>& problems,
                               std::string_view input) {
  for (std::string_view secret : {"s3cret-value", "tt-api-key-value-1", "sk_test_1"}) {
    if (input.find(secret) != std::string_view::npos) continue;
    for (const config::Problem& problem : problems) {
      TTB_FUZZ_CHECK(problem.message.find(secret) == std::string::npos);
    }
  }
}

// Writes `text` to `name` in the fixture folder and returns its path.
inline std::filesystem::path write_fixture(const std::string& name, std::string_view text) {
  std::filesystem::path path = config_dir() / name;
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(text.data(), static_cast<std::streamsize>(text.size()));
  return path;
}

}  // namespace ttb::fuzz
