#include "temp_dir.h"

#include <cstdlib>
#include <stdexcept>

namespace ttb::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "ttb-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::filesystem::path TempDir::write(const std::string& relative,
                                     const std::string& content) const {
  std::filesystem::path full = path_ / relative;
  std::filesystem::create_directories(full.parent_path());
  std::ofstream(full, std::ios::binary | std::ios::trunc) << content;
  return full;
}

}  // namespace ttb::testing
