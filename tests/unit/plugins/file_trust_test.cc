// Plugin files others could change are refused before they load, with a message that names the
// file or directory; files of root or the daemon's user, writable only by their owner, load.

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "plugins/internal/file_trust.h"
#include "plugins/internal/loader.h"

namespace ttb::plugins {
namespace {

namespace fs = std::filesystem;

class PluginFileTrust : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "ttb-trust-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    // A copy of its own: the loader keeps a library loaded per canonical path.
    file_ = dir_ / "ttb_test_good.so";
    fs::copy_file(std::string(TTB_TEST_PLUGIN_DIR) + "/ttb_test_good.so", file_);
    chmod(file_, 0644);
    chmod(dir_, 0755);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  static void chmod(const fs::path& path, mode_t mode) {
    ASSERT_EQ(::chmod(path.c_str(), mode), 0) << path;
  }

  fs::path dir_;
  fs::path file_;
};

TEST_F(PluginFileTrust, AFileOfItsOwnerInAPrivateDirectoryLoads) {
  EXPECT_EQ(untrusted_plugin_file(file_), "");
  auto loaded = load_plugin(file_);
  EXPECT_TRUE(loaded.plugin) << loaded.error;
}

TEST_F(PluginFileTrust, AGroupWritableFileIsRefusedByName) {
  chmod(file_, 0664);
  auto loaded = load_plugin(file_);
  EXPECT_FALSE(loaded.plugin);
  EXPECT_NE(loaded.error.find("refusing the plugin file " + fs::canonical(file_).string()),
            std::string::npos)
      << loaded.error;
  EXPECT_NE(loaded.error.find("writable by its group (mode 0664)"), std::string::npos)
      << loaded.error;
}

TEST_F(PluginFileTrust, AWorldWritableFileIsRefused) {
  chmod(file_, 0646);
  EXPECT_NE(untrusted_plugin_file(file_).find("writable by others"), std::string::npos);
}

TEST_F(PluginFileTrust, AWritableDirectoryIsRefusedByName) {
  chmod(dir_, 0777);
  const std::string problem = untrusted_plugin_file(file_);
  EXPECT_NE(problem.find("refusing the plugin directory " + fs::canonical(dir_).string()),
            std::string::npos)
      << problem;
  chmod(dir_, 01777);  // sticky like /tmp: still anyone can put a file there
  EXPECT_NE(untrusted_plugin_file(file_), "");
  chmod(dir_, 0775);
  EXPECT_NE(untrusted_plugin_file(file_).find("writable by its group"), std::string::npos);
}

TEST_F(PluginFileTrust, ASymlinkIsJudgedByItsTarget) {
  const fs::path link = dir_ / "link.so";
  fs::create_symlink(file_, link);
  EXPECT_EQ(untrusted_plugin_file(link), "");
  chmod(file_, 0666);
  EXPECT_NE(untrusted_plugin_file(link).find(fs::canonical(file_).string()), std::string::npos);
}

TEST_F(PluginFileTrust, AFileOfAnotherUserIsRefused) {
  if (::geteuid() != 0) GTEST_SKIP() << "giving a file away needs root";
  ASSERT_EQ(::chown(file_.c_str(), 65534, 65534), 0);
  const std::string problem = untrusted_plugin_file(file_);
  EXPECT_NE(problem.find("owned by uid 65534, not by root or the daemon's user"), std::string::npos)
      << problem;
}

TEST_F(PluginFileTrust, AMissingFileSaysSo) {
  EXPECT_NE(untrusted_plugin_file(dir_ / "none.so").find("cannot check the plugin file"),
            std::string::npos);
}

}  // namespace
}  // namespace ttb::plugins
