#pragma once
// A fresh directory under $TMPDIR for one test, removed with everything in it at the end.

#include <filesystem>
#include <fstream>
#include <string>

namespace ttb::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

  // Writes `content` to path()/relative, creating folders; returns the full path.
  std::filesystem::path write(const std::string& relative, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

}  // namespace ttb::testing
