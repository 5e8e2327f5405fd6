// `plugins.confinement:` of the main config (docs/configuration.md, "plugins"): the defaults, every
// key read, a user resolved to its ids, and bad values named with their file, line and column.
#include <pwd.h>
#include <unistd.h>

#include "config_fixture.h"

namespace ttb::config::testing {
namespace {

class PluginConfinementConfig : public ConfigTest {
 protected:
  // The main config with `confinement` (already indented under `plugins:`) on line 6 onwards.
  void write_main_confinement(const std::string& confinement) {
    write("ttbridged.yaml",
          "server:\n  public_url: \"https://tt.example.com\"\n"
          "teamtailor:\n  api_key: \"${env:TT_KEY}\"\n  webhook_secret: \"${env:TT_SECRET}\"\n"
          "plugins:\n  dir: \"" +
              (dir_ / "plugins").string() + "\"\n" + confinement + "tenants:\n  dir: \"" +
              (dir_ / "tenants").string() + "\"\n");
  }
};

TEST_F(PluginConfinementConfig, AbsentKeepsTheDefaults) {
  write_main_confinement("");
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

TEST_F(PluginConfinementConfig, EveryKeyIsReadAndTheUserResolved) {
  // The user running the test exists on every machine that runs it.
  const passwd* me = ::getpwuid(::geteuid());
  ASSERT_NE(me, nullptr);
  write_main_confinement(std::string("  confinement:\n    memory_mb: 0\n    cpu_seconds: 60\n"
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

TEST_F(PluginConfinementConfig, BadValuesAreNamedWithTheirPosition) {
  write_main_confinement(
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

TEST_F(PluginConfinementConfig, ConfinementMustBeAMap) {
  write_main_confinement("  confinement: 512\n");
  const LoadResult result = load();
  EXPECT_FALSE(result.ok());
  EXPECT_PROBLEM_AT(result.problems, "plugins.confinement", 8, 16);
}

}  // namespace
}  // namespace ttb::config::testing
