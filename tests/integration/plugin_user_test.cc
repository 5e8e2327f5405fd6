// plugins.confinement.user through the real ttbridged (docs/plugin-isolation.md, "Confinement"):
// started as root, the daemon runs its plugin children as the configured user, and a plugin
// there still invites (its HTTP goes through the daemon, which keeps its own user). Changing
// user needs root: elsewhere the test is skipped (CI runs it as root).

#include <gtest/gtest.h>

#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine_fixture.h"
#include "fakes/testvendor/fake_testvendor.h"

namespace ttb {
namespace {

using fakes::testvendor::FakeTestVendor;
using testing::Engine;
using testing::EngineOptions;
using testing::tenant_yaml;

constexpr const char* kToken = "acme-plugin-user-token-0123456789";

// The ttb-plugin-host children of `parent`, from /proc/<pid>/stat (comm, then ppid).
std::vector<pid_t> plugin_hosts_of(pid_t parent) {
  std::vector<pid_t> found;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto open = stat.find('(');
    const auto close = stat.rfind(')');
    if (open == std::string::npos || close == std::string::npos) continue;
    std::istringstream rest(stat.substr(close + 2));
    char state = 0;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid == parent && stat.substr(open + 1, close - open - 1) == "ttb-plugin-host")
      found.push_back(static_cast<pid_t>(std::stol(name)));
  }
  return found;
}

// The real user and group ids of a process ("Uid:" and "Gid:" of /proc/<pid>/status).
std::pair<std::string, std::string> ids_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  std::string uid;
  std::string gid;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string key;
    std::string real;
    fields >> key >> real;
    if (key == "Uid:") uid = real;
    if (key == "Gid:") gid = real;
  }
  return {uid, gid};
}

TEST(PluginUser, ChildrenRunAsTheConfiguredUserAndTheirPluginStillInvites) {
  if (::geteuid() != 0) GTEST_SKIP() << "changing a child's user needs root";
  const passwd* nobody = ::getpwnam("nobody");
  if (nobody == nullptr) GTEST_SKIP() << "this machine has no user 'nobody'";

  FakeTestVendor vendor;
  // The plugin must be readable by that user: a root-owned directory of mode 0755 (a temp
  // directory is created 0700), which the loader's ownership checks also accept.
  testing::TempDir plugins;
  std::filesystem::permissions(plugins.path(), std::filesystem::perms(0755));
  std::filesystem::copy_file(testing::plugin_dir() / "testvendor.so", plugins / "testvendor.so");

  EngineOptions options;
  options.plugins_dir = plugins.path();
  options.plugins_extra = "  confinement: { user: nobody }\n";
  options.tenants = {{"acme.yaml", tenant_yaml("acme", kToken,
                                               "  - name: testvendor\n    plugin: testvendor\n"
                                               "    config: " +
                                                   vendor.plugin_config().dump() + "\n")}};
  Engine engine(options);
  ASSERT_TRUE(engine.start()) << engine.log();

  auto sent = engine.sender().send(kToken, fakes::WebhookParams{});
  ASSERT_EQ(sent.response.status, 202) << sent.response.body;
  EXPECT_TRUE(engine.wait_for_status(sent.params.partner_result_id, "sent").has_value())
      << engine.log();

  const auto children = plugin_hosts_of(engine.daemon().pid());
  ASSERT_FALSE(children.empty()) << engine.log();
  for (pid_t child : children) {
    const auto [uid, gid] = ids_of(child);
    EXPECT_EQ(uid, std::to_string(nobody->pw_uid)) << "child " << child;
    EXPECT_EQ(gid, std::to_string(nobody->pw_gid)) << "child " << child;
  }
  // The daemon itself keeps its user.
  EXPECT_EQ(ids_of(engine.daemon().pid()).first, "0");
}

}  // namespace
}  // namespace ttb
