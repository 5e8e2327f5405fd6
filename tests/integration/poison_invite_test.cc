// No poison job with a plugin inside the daemon (isolation: inproc): the segv test plugin crashes
// ttbridged on one invitation. Restarted (as systemd would), the daemon runs the invite again and
// dies again; at the third start the in-flight journal has counted two deaths, so the invite is
// a dead letter with that reason, the daemon keeps running and the recruiter's card shows the
// failure. The same holds for a vendor callback that crashes the plugin: sent again after two
// deaths, it is refused without a call, until a reload hands it to the plugin again.

#include <signal.h>

#include <gtest/gtest.h>

#include "daemon_process.h"
#include "fakes/teamtailor/fake_teamtailor.h"
#include "fakes/teamtailor/webhook_sender.h"
#include "net/http_client.h"
#include "orders/failure_summary.h"
#include "store/store.h"
#include "temp_dir.h"

namespace ttb {
namespace {

using testing::DaemonProcess;
using testing::eventually;

constexpr const char* kWebhookSecret = "poison-webhook-secret";
constexpr const char* kActivationToken = "acme-poison-activation-token";

std::string write_config(const testing::TempDir& dir, const fakes::FakeTeamtailor& tt) {
  std::filesystem::create_directories(dir / "var");
  dir.write("tenants/acme.yaml", "id: acme\nactivation_token: \"" + std::string(kActivationToken) +
                                     "\"\nproviders:\n  - name: segv\n    plugin: ttb_test_segv\n"
                                     "    isolation: inproc\n");
  std::string config =
      "server:\n  listen: \"127.0.0.1:0\"\n  public_url: \"http://127.0.0.1:9\"\n"
      "admin: { listen: \"127.0.0.1:0\" }\n"
      "teamtailor:\n  api_url: \"";
  config += tt.api_url() + "\"\n  api_key: \"" + tt.api_key() + "\"\n  webhook_secret: \"" +
            kWebhookSecret + "\"\n";
  config += "store: { url: \"sqlite://" + (dir / "var/ttbridge.db").string() + "\" }\n";
  config += "plugins: { dir: \"" + std::string(TTB_TEST_PLUGIN_DIR) + "\" }\n";
  config += "tenants: { dir: \"" + (dir / "tenants").string() + "\" }\n";
  return dir.write("ttbridged.yaml", config).string();
}

TEST(PoisonInvite, TwoCrashesMakeTheInviteADeadLetterAndTheDaemonKeepsRunning) {
  fakes::FakeTeamtailor teamtailor;
  testing::TempDir dir;
  const std::string config = write_config(dir, teamtailor);
  std::string order_id;

  for (int start = 0; start < 2; ++start) {
    DaemonProcess daemon(config, dir / ("run-" + std::to_string(start)));
    std::filesystem::create_directories(dir / ("run-" + std::to_string(start)));
    // The second start runs the invite at once and may die of it before it is ready.
    const bool ready = daemon.start();
    if (start == 0) {
      ASSERT_TRUE(ready) << daemon.log();
      fakes::WebhookSender sender(net::make_http_client(), daemon.base_url(), kWebhookSecret,
                                  teamtailor.api_key());
      fakes::WebhookParams params;
      params.test = "segv:t1";
      params.email = "segv-me@example.org";
      params.update_url_base = teamtailor.api_url();
      // The daemon may die before it answers: the order is stored before the answer, and the
      // crash comes from the invite job that follows.
      order_id = sender.send(kActivationToken, params).params.partner_result_id;
    }
    const auto status = daemon.wait_exit(std::chrono::seconds(30));
    ASSERT_TRUE(status.has_value()) << "start " << start << ": the plugin did not crash it\n"
                                    << daemon.log();
    EXPECT_EQ(*status, 128 + SIGSEGV) << daemon.log();
  }

  DaemonProcess daemon(config, dir / "run-2");
  std::filesystem::create_directories(dir / "run-2");
  ASSERT_TRUE(daemon.start()) << daemon.log();
  EXPECT_EQ(daemon.events("plugin_call_deaths").size(), 1u) << daemon.log();
  const std::string crashed = orders::invite_failure("crashed").summary;
  auto card = [&] {
    nlohmann::json current = teamtailor.current(order_id);
    return current.is_object() ? current : nlohmann::json::object();
  };
  EXPECT_TRUE(eventually([&] { return card().value("status", "") == "failed"; }))
      << card().dump() << daemon.log();
  EXPECT_EQ(card().value("summary", ""), crashed);
  EXPECT_TRUE(daemon.running()) << "the third start keeps running\n" << daemon.log();
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit().value_or(-1), 0) << daemon.log();

  auto store = store::open_store("sqlite://" + (dir / "var/ttbridge.db").string(), {});
  ASSERT_TRUE(store) << store.error().message;
  auto jobs = (*store)->list_jobs({true, "", order_id, 10});
  ASSERT_TRUE(jobs);
  ASSERT_EQ(jobs->size(), 1u);
  EXPECT_EQ(jobs->front().deaths, 2);
  EXPECT_NE(jobs->front().last_error.find("the plugin's process died twice"), std::string::npos)
      << jobs->front().last_error;
  (*store)->close();
}

net::ClientResponse post_callback(const DaemonProcess& daemon, const std::string& body) {
  net::ClientRequest request;
  request.method = "POST";
  request.url = daemon.base_url() + "/callbacks/acme/segv";
  request.body = body;
  request.headers.emplace_back("Content-Type", "application/json");
  return net::make_http_client()->send(request);
}

TEST(PoisonCallback, TwoCrashesMakeTheCallbackRefusedUntilAReload) {
  fakes::FakeTeamtailor teamtailor;
  testing::TempDir dir;
  const std::string config = write_config(dir, teamtailor);
  constexpr const char* kCrashing = "not json: the segv plugin crashes on it";

  for (int start = 0; start < 2; ++start) {
    const auto run = dir / ("run-" + std::to_string(start));
    std::filesystem::create_directories(run);
    DaemonProcess daemon(config, run);
    ASSERT_TRUE(daemon.start()) << "start " << start << ":\n" << daemon.log();
    post_callback(daemon, kCrashing);  // no answer: the daemon dies handling it
    const auto status = daemon.wait_exit(std::chrono::seconds(30));
    ASSERT_TRUE(status.has_value()) << "start " << start << ": the plugin did not crash it\n"
                                    << daemon.log();
    EXPECT_EQ(*status, 128 + SIGSEGV) << daemon.log();
  }

  std::filesystem::create_directories(dir / "run-2");
  DaemonProcess daemon(config, dir / "run-2");
  ASSERT_TRUE(daemon.start()) << daemon.log();
  EXPECT_EQ(daemon.events("plugin_callback_deaths").size(), 1u) << daemon.log();
  auto refused = post_callback(daemon, kCrashing);
  EXPECT_EQ(refused.status, 500) << refused.body;
  EXPECT_NE(refused.body.find("crashed the plugin before"), std::string::npos) << refused.body;
  EXPECT_EQ(daemon.events("callback_refused_crashed_before").size(), 1u) << daemon.log();
  // Another callback still reaches the plugin (which refuses this one as unsigned).
  EXPECT_EQ(post_callback(daemon, "{}").status, 400);
  ASSERT_TRUE(daemon.running()) << daemon.log();

  // An orderly restart keeps the count: a stop is not a fix.
  daemon.signal(SIGTERM);
  ASSERT_EQ(daemon.wait_exit().value_or(-1), 0) << daemon.log();
  std::filesystem::create_directories(dir / "run-3");
  DaemonProcess again(config, dir / "run-3");
  ASSERT_TRUE(again.start()) << again.log();
  EXPECT_EQ(post_callback(again, kCrashing).status, 500);

  // A reload that fails (a new tenant's plugin refuses its config) forgives nothing.
  dir.write("tenants/refused.yaml",
            "id: refused\nactivation_token: \"refused-poison-activation-token\"\nproviders:\n"
            "  - name: refused\n    plugin: ttb_test_create_fails\n    isolation: inproc\n");
  again.signal(SIGHUP);
  ASSERT_TRUE(eventually([&] { return !again.events("reload_failed").empty(); })) << again.log();
  EXPECT_EQ(post_callback(again, kCrashing).status, 500);
  ASSERT_TRUE(again.running()) << "a failed reload forgave the callback\n" << again.log();
  EXPECT_TRUE(again.events("callback_refusals_lifted").empty()) << again.log();
  std::filesystem::remove(dir / "tenants/refused.yaml");

  // A reload hands it to the plugin again, which crashes on it as before.
  again.signal(SIGHUP);
  ASSERT_TRUE(eventually([&] { return !again.events("callback_refusals_lifted").empty(); }))
      << again.log();
  post_callback(again, kCrashing);
  const auto status = again.wait_exit(std::chrono::seconds(30));
  ASSERT_TRUE(status.has_value()) << "forgiven, the callback reached the plugin\n" << again.log();
  EXPECT_EQ(*status, 128 + SIGSEGV) << again.log();
}

}  // namespace
}  // namespace ttb
