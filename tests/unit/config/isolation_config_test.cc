// The isolation keys of a provider (docs/plugin-isolation.md): `process` by default, `inproc` on
// request, an optional group, and a wrong value named with its file, line and column.
#include "config_fixture.h"

namespace ttb::config::testing {
namespace {

using IsolationConfigTest = ConfigTest;

TEST_F(IsolationConfigTest, ProcessIsTheDefaultAndInprocAndGroupsAreRead) {
  write_main();
  write("tenants/acme.yaml",
        "id: acme\n"
        "activation_token: tok-0123456789abcdefghij\n"
        "providers:\n"
        "  - name: a\n"
        "    plugin: checkr\n"
        "    enabled: false\n"
        "  - name: b\n"
        "    plugin: checkr\n"
        "    enabled: false\n"
        "    isolation: inproc\n"
        "  - name: c\n"
        "    plugin: checkr\n"
        "    enabled: false\n"
        "    isolation: process\n"
        "    isolation_group: slow\n");
  const LoadResult result = load();
  ASSERT_TRUE(result.ok()) << all(result.problems);
  const auto& providers = result.config->tenants.at(0).providers;
  ASSERT_EQ(providers.size(), 3u);
  EXPECT_EQ(providers[0].isolation, Isolation::process);
  EXPECT_EQ(providers[0].isolation_group, "");
  EXPECT_EQ(providers[1].isolation, Isolation::inproc);
  EXPECT_EQ(providers[2].isolation, Isolation::process);
  EXPECT_EQ(providers[2].isolation_group, "slow");
}

TEST_F(IsolationConfigTest, AWrongModeOrGroupIsNamedWithItsPosition) {
  write_main();
  write("tenants/acme.yaml",
        "id: acme\n"
        "activation_token: tok-0123456789abcdefghij\n"
        "providers:\n"
        "  - name: a\n"
        "    plugin: checkr\n"
        "    enabled: false\n"
        "    isolation: sandbox\n"
        "    isolation_group: \"no spaces\"\n");
  const LoadResult result = load();
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(result.problems.size(), 2u) << all(result.problems);
  EXPECT_PROBLEM_AT(result.problems,
                    "providers[0].isolation 'sandbox' is not an isolation mode; use process (the "
                    "default: the plugin runs in a ttb-plugin-host child) or inproc",
                    7, 16);
  EXPECT_NE(all(result.problems)
                .find("providers[0].isolation_group 'no spaces' is not a valid "
                      "group name"),
            std::string::npos)
      << all(result.problems);
  EXPECT_NE(all(result.problems).find("acme.yaml:8:"), std::string::npos) << all(result.problems);
}

}  // namespace
}  // namespace ttb::config::testing
