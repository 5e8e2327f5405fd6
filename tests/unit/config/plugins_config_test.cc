// `plugins:` of the main config (docs/configuration.md, "plugins"): `call_timeout_s`, and
// `confinement:` with its defaults, every key read, a user resolved to its ids, and bad values
// named with their file, line and column.
#include <pwd.h>
#include <unistd.h>

#include "config_fixture.h"

namespace ttb::config::testing {
namespace {

class PluginsConfig : public ConfigTest {
 protected:
  // The main config with `lines` (already indented under `plugins:`) on line 8 onwards.
  void write_main_plugins(const std::string& lines) {
    write("ttbridged.yaml",
          "server:\n  public_url: \"https://tt.example.com\"\n"
          "teamtailor:\n  api_key: \"${env:TT_KEY}\"\n  webhook_secret: \"${env:TT_SECRET}\"\n"
          "plugins:\n  dir: \"" +
              (dir_ / "plugins").string() + "\"\n" + lines + "tenants:\n  dir: \"" +
              (dir_ / "tenants").string() + "\"\n");
  }
};

TEST_F(PluginsConfig, CallTimeoutAbsentIsThirtySeconds) {
  write_main_plugins("");
  const LoadResult result = load();
  ASSERT_TRUE(result.ok()) << all(result.problems);
  EXPECT_EQ(result.config->main.plugin_call_timeout, std::chrono::seconds(30));
}

TEST_F(PluginsConfig, CallTimeoutIsRead) {
  write_main_plugins("  call_timeout_s: 75\n");
  const LoadResult result = load();
  ASSERT_TRUE(result.ok()) << all(result.problems);
  EXPECT_EQ(result.config->main.plugin_call_timeout, std::chrono::seconds(75));
}

TEST_F(PluginsConfig, CallTimeoutOutsideOneToNinetyIsNamedWithItsPosition) {
  // 90 at most: a job stops waiting on a call after 120 s, so the deadline must come first.
  for (const char* value : {"0", "91", "soon"}) {
    write_main_plugins(std::string("  call_timeout_s: ") + value + "\n");
    const LoadResult result = load();
    EXPECT_FALSE(result.ok()) << value;
    EXPECT_PROBLEM_AT(result.problems,
                      "plugins.call_timeout_s: expected an integer between 1 and 90", 8, 19);
  }
}

TEST_F(PluginsConfig, ConfinementAbsentKeepsTheDefaults) {
  write_main_plugins("");
  const LoadResult result = load();
  ASSERT_TRUE(result.ok()) << all(result.problems);
  const PluginConfinement& c = result.config->main.plugin_confinement;
  EXPECT_EQ(c.memory_mb, 1024u);
  EXPECT_EQ(c.cpu_seconds, 3600u);
  EXPECT_EQ(c.open_files, 256u);
  EXPECT_TRUE(c.seccomp);
  EXPECT_EQ(c.user, "");
  EXPECT_FALSE(c.uid);
  EXPECT_FALSE(c.gid);
}

TEST_F(PluginsConfig, ConfinementEveryKeyIsReadAndTheUserResolved) {
  // The user running the test exists on every machine that runs it.
  const passwd* me = ::getpwuid(::geteuid());
  ASSERT_NE(me, nullptr);
  write_main_plugins(std::string("  confinement:\n    memory_mb: 0\n    cpu_seconds: 60\n"
                                 "    open_files: 64\n    seccomp: false\n    user: \"") +
                     me->pw_name + "\"\n");
  const LoadResult result = load();
  ASSERT_TRUE(result.ok()) << all(result.problems);
  const PluginConfinement& c = result.config->main.plugin_confinement;
  EXPECT_EQ(c.memory_mb, 0u);
  EXPECT_EQ(c.cpu_seconds, 60u);
  EXPECT_EQ(c.open_files, 64u);
  EXPECT_FALSE(c.seccomp);
  EXPECT_EQ(c.user, me->pw_name);
  EXPECT_EQ(c.uid, me->pw_uid);
  EXPECT_EQ(c.gid, me->pw_gid);
}

TEST_F(PluginsConfig, ConfinementBadValuesAreNamedWithTheirPosition) {
  write_main_plugins(
      "  confinement:\n"
      "    memory_mb: -1\n"
      "    cpu_seconds: lots\n"
      "    open_files: 99999999\n"
      "    seccomp: maybe\n"
      "    user: ttb-no-such-user-x\n"
      "    swap: 1\n");
  const LoadResult result = load();
  EXPECT_FALSE(result.ok());
  EXPECT_PROBLEM_AT(result.problems, "plugins.confinement.memory_mb: expected an integer", 9, 16);
  EXPECT_PROBLEM_AT(result.problems, "plugins.confinement.cpu_seconds: expected an integer", 10,
                    18);
  EXPECT_PROBLEM_AT(result.problems, "plugins.confinement.open_files: expected an integer", 11, 17);
  EXPECT_PROBLEM_AT(result.problems, "plugins.confinement.seccomp: expected true or false", 12, 14);
  EXPECT_PROBLEM_AT(result.problems,
                    "plugins.confinement.user: there is no user 'ttb-no-such-user-x'", 13, 11);
  EXPECT_PROBLEM_AT(result.problems, "swap", 14, 5);
}

TEST_F(PluginsConfig, ConfinementMustBeAMap) {
  write_main_plugins("  confinement: 512\n");
  const LoadResult result = load();
  EXPECT_FALSE(result.ok());
  EXPECT_PROBLEM_AT(result.problems, "plugins.confinement", 8, 16);
}

}  // namespace
}  // namespace ttb::config::testing
