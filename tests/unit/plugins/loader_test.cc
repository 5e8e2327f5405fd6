// The loader: version negotiation and a clear message for each way a file can fail to load.

#include <gtest/gtest.h>

#include <stdlib.h>

#include <fstream>

#include "plugins/internal/loader.h"

namespace ttb::plugins {
namespace {

std::string plugin(const char* name) {
  return std::string(TTB_TEST_PLUGIN_DIR) + "/" + name + ".so";
}

TEST(Loader, LoadsAPluginAndReadsItsIdentity) {
  auto r = load_plugin(plugin("ttb_test_good"));
  ASSERT_TRUE(r.plugin) << r.error;
  EXPECT_EQ(r.plugin->id, "good");
  EXPECT_EQ(r.plugin->version, "1.2.3");
  EXPECT_EQ(r.plugin->abi_minor, TTB_ABI_MINOR);
}

TEST(Loader, PluginOfMinorNLoadsInHostOfMinorNPlusOne) {
  auto r = load_plugin(plugin("ttb_test_good"), TTB_ABI_MAJOR, TTB_ABI_MINOR + 1);
  ASSERT_TRUE(r.plugin) << r.error;
  EXPECT_EQ(r.plugin->abi_minor, TTB_ABI_MINOR) << "negotiated: min(host, plugin)";
}

TEST(Loader, PluginOfANewerMinorSpeaksTheHostsMinor) {
  auto r = load_plugin(plugin("ttb_test_future_minor"));
  ASSERT_TRUE(r.plugin) << r.error;
  EXPECT_EQ(r.plugin->descriptor->abi_minor, TTB_ABI_MINOR + 1);
  EXPECT_EQ(r.plugin->abi_minor, TTB_ABI_MINOR);
}

TEST(Loader, ReadsTheSchemaSampleAndActionsOfA11Descriptor) {
  auto r = load_plugin(plugin("ttb_test_good"));
  ASSERT_TRUE(r.plugin) << r.error;
  EXPECT_NE(r.plugin->config_schema.find("\"api_key\""), std::string::npos);
  EXPECT_EQ(r.plugin->sample_config,
            R"({"api_key":"sample-key","base_url":"http://127.0.0.1:9/none"})");
  EXPECT_EQ(r.plugin->actions, std::vector<std::string>{"resend_invitation"});
}

TEST(Loader, APluginBuiltAgainstThe10HeaderLoadsWithoutThe11Members) {
  auto r = load_plugin(plugin("ttb_test_abi_1_0"));
  ASSERT_TRUE(r.plugin) << r.error;
  EXPECT_EQ(r.plugin->id, "abi_1_0");
  EXPECT_EQ(r.plugin->descriptor->abi_minor, 0);
  EXPECT_EQ(r.plugin->abi_minor, 0) << "negotiated: min(host 1.1, plugin 1.0)";
  EXPECT_TRUE(r.plugin->config_schema.empty());
  EXPECT_TRUE(r.plugin->sample_config.empty());
  EXPECT_TRUE(r.plugin->actions.empty());
}

TEST(Loader, AHostPlaying10IgnoresThe11MembersOfANewerPlugin) {
  auto r = load_plugin(plugin("ttb_test_good"), TTB_ABI_MAJOR, 0);
  ASSERT_TRUE(r.plugin) << r.error;
  EXPECT_EQ(r.plugin->abi_minor, 0);
  EXPECT_TRUE(r.plugin->config_schema.empty());
  EXPECT_TRUE(r.plugin->actions.empty());
}

TEST(Loader, RefusesAWrongMajorNamingBothVersionsAndTheFile) {
  auto r = load_plugin(plugin("ttb_test_wrong_major"));
  ASSERT_FALSE(r.plugin);
  EXPECT_NE(r.error.find("ttb_test_wrong_major.so"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("built for plugin ABI 2.3"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("this host speaks ABI 1." + std::to_string(TTB_ABI_MINOR)),
            std::string::npos)
      << r.error;
  // The fix names the ABI major, not the SDK package's version (which says nothing about it).
  EXPECT_NE(r.error.find("SDK whose plugin.h has TTB_ABI_MAJOR 1"), std::string::npos) << r.error;
}

TEST(Loader, HostOfAnotherMajorIsRefusedByTheEntry) {
  auto r = load_plugin(plugin("ttb_test_good"), TTB_ABI_MAJOR + 1, 0);
  ASSERT_FALSE(r.plugin);
  EXPECT_NE(r.error.find("built for plugin ABI 1."), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("this host speaks ABI 2.0"), std::string::npos) << r.error;
}

TEST(Loader, ReportsAMissingEntrySymbol) {
  auto r = load_plugin(plugin("ttb_test_no_entry"));
  ASSERT_FALSE(r.plugin);
  EXPECT_NE(r.error.find("does not export ttb_plugin_entry"), std::string::npos) << r.error;
}

TEST(Loader, ReportsAFileThatIsNotASharedLibrary) {
  // A private directory: the loader refuses any file in a world-writable one such as /tmp.
  std::string dir = (std::filesystem::temp_directory_path() / "ttb-loader-XXXXXX").string();
  ASSERT_NE(::mkdtemp(dir.data()), nullptr);
  auto path = std::filesystem::path(dir) / "ttb_loader_not_a_library.so";
  std::ofstream(path) << "just text";
  auto r = load_plugin(path);
  ASSERT_FALSE(r.plugin);
  EXPECT_NE(r.error.find("is not a shared library"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find(path.string()), std::string::npos) << r.error;
  std::filesystem::remove_all(dir);
}

TEST(Loader, ReportsAMissingFile) {
  auto r = load_plugin("/nonexistent/ttb/nothing.so");
  ASSERT_FALSE(r.plugin);
  EXPECT_NE(r.error.find("plugin file not found: /nonexistent/ttb/nothing.so"), std::string::npos)
      << r.error;
}

TEST(Loader, LoadsEachFileOnce) {
  auto a = load_plugin(plugin("ttb_test_good"));
  auto b = load_plugin(std::string(TTB_TEST_PLUGIN_DIR) + "/./ttb_test_good.so");
  ASSERT_TRUE(a.plugin && b.plugin);
  EXPECT_EQ(a.plugin->descriptor, b.plugin->descriptor) << "same library, same static descriptor";
}

// 2,000 providers of one plugin hold one copy of its identity, schema and sample config.
TEST(Loader, LoadsOfOneFileAtOneMinorShareOneLoadedPlugin) {
  auto a = load_plugin(plugin("ttb_test_good"));
  auto b = load_plugin(plugin("ttb_test_good"));
  ASSERT_TRUE(a.plugin && b.plugin);
  EXPECT_EQ(a.plugin.get(), b.plugin.get());

  auto older = load_plugin(plugin("ttb_test_good"), TTB_ABI_MAJOR, 0);
  ASSERT_TRUE(older.plugin) << older.error;
  EXPECT_NE(older.plugin.get(), a.plugin.get()) << "another negotiated minor, another description";
  EXPECT_EQ(older.plugin->abi_minor, 0);
  EXPECT_TRUE(older.plugin->config_schema.empty());
  EXPECT_EQ(a.plugin->abi_minor, TTB_ABI_MINOR) << "the first description is left as it was";
  EXPECT_FALSE(a.plugin->config_schema.empty());
}

}  // namespace
}  // namespace ttb::plugins
