// The daemon as an operator runs it: starts on a config, serves /healthz on the public listener
// and /readyz and /metrics only on the admin listener, reloads tenants on SIGHUP (keeping the old
// ones when the new files are broken), exits 0 on SIGTERM.

#include <signal.h>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "daemon_process.h"
#include "net/http_client.h"
#include "temp_dir.h"

namespace ttb {
namespace {

using testing::DaemonProcess;
using testing::eventually;
using testing::TempDir;

// `admin` is the YAML of the admin section; port 0 lets tests run side by side.
std::string main_config(const std::string& admin = "admin: { listen: \"127.0.0.1:0\" }\n") {
  return R"(server:
  listen: "127.0.0.1:0"
  public_url: "http://127.0.0.1:9"
)" + admin +
         R"(teamtailor:
  api_url: "http://127.0.0.1:9/partner/v1"
  api_key: "${env:TT_KEY}"
  webhook_secret: "${env:TT_SECRET}"
store: { url: "sqlite://var/ttbridge.db" }
plugins: { dir: "plugins" }
tenants: { dir: "tenants" }
)";
}

const std::vector<std::pair<std::string, std::string>> kEnv{{"TT_KEY", "partner-api-key-123"},
                                                            {"TT_SECRET", "webhook-secret-456"}};

std::string tenant_yaml(const std::string& id, const std::string& token) {
  return "id: " + id + "\nactivation_token: \"" + token + "\"\nproviders: []\n";
}

class DaemonLifecycle : public ::testing::Test {
 protected:
  void SetUp() override {
    prepare(dir_);
    daemon_ = std::make_unique<DaemonProcess>(dir_ / "ttbridged.yaml", dir_.path(), kEnv);
    ASSERT_TRUE(daemon_->start()) << daemon_->log();
  }

  static void prepare(TempDir& dir, const std::string& config = main_config()) {
    dir.write("ttbridged.yaml", config);
    dir.write("tenants/acme.yaml", tenant_yaml("acme", "acme-token-1-0123456789"));
    std::filesystem::create_directories(dir / "plugins");
    std::filesystem::create_directories(dir / "var");
  }

  // A request to the public listener (get) or the admin listener (admin_get).
  net::ClientResponse get(const std::string& path) { return send(daemon_->base_url() + path); }
  net::ClientResponse admin_get(const std::string& path, net::Headers headers = {}) {
    return send(daemon_->admin_url() + path, std::move(headers));
  }
  net::ClientResponse send(const std::string& url, net::Headers headers = {}) {
    net::ClientRequest request;
    request.url = url;
    request.headers = std::move(headers);
    return client_->send(request);
  }

  TempDir dir_;
  std::unique_ptr<DaemonProcess> daemon_;
  std::unique_ptr<net::HttpClient> client_ = net::make_http_client();
};

TEST_F(DaemonLifecycle, ServesHealthReadinessAndMetricsOnTheAdminListener) {
  auto health = get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_FALSE(health.header("X-Request-Id").value_or("").empty());
  EXPECT_NE(daemon_->admin_port(), daemon_->port());

  EXPECT_EQ(admin_get("/healthz").status, 200);
  auto ready = admin_get("/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body, "ready\n");

  auto metrics = admin_get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("ttbridge_build_info{"), std::string::npos);
  EXPECT_NE(metrics.body.find("ttbridge_uptime_seconds"), std::string::npos);
  EXPECT_NE(metrics.body.find("ttbridge_http_requests_total{method=\"GET\",route=\"/healthz\","
                              "status=\"200\"} 1"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("ttbridge_http_request_duration_seconds_bucket"), std::string::npos);
}

TEST_F(DaemonLifecycle, PublicListenerDoesNotServeMetricsOrReadiness) {
  // Metrics name every tenant: only the admin address may reveal them.
  auto metrics = get("/metrics");
  EXPECT_EQ(metrics.status, 404);
  EXPECT_EQ(metrics.body.find("ttbridge_"), std::string::npos) << metrics.body;
  EXPECT_EQ(get("/readyz").status, 404);
  // And the admin listener serves none of the partner routes.
  EXPECT_EQ(admin_get("/activation").status, 404);
  EXPECT_EQ(admin_get("/webhook").status, 404);

  const auto listening = daemon_->events("listening");
  ASSERT_EQ(listening.size(), 1u);
  EXPECT_NE(listening.front().find("\"admin_host\":\"127.0.0.1\""), std::string::npos)
      << listening.front();
}

TEST_F(DaemonLifecycle, AdminTokenGuardsMetricsButNotReadiness) {
  TempDir dir;
  const std::string token = "0123456789abcdef0123456789abcdef";
  dir.write("admin.token", token + "\n");
  prepare(dir, main_config("admin:\n  listen: \"127.0.0.1:0\"\n  token_file: admin.token\n"));
  daemon_ = std::make_unique<DaemonProcess>(dir / "ttbridged.yaml", dir.path(), kEnv);
  ASSERT_TRUE(daemon_->start()) << daemon_->log();

  EXPECT_EQ(admin_get("/readyz").status, 200);
  auto anonymous = admin_get("/metrics");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.header("WWW-Authenticate").value_or(""), "Bearer realm=\"ttbridge-admin\"");
  EXPECT_EQ(anonymous.body.find("ttbridge_"), std::string::npos);
  EXPECT_EQ(admin_get("/metrics", {{"Authorization", "Bearer wrong-token-wrong-token"}}).status,
            401);
  auto allowed = admin_get("/metrics", {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(allowed.status, 200);
  EXPECT_NE(allowed.body.find("ttbridge_build_info{"), std::string::npos);
  EXPECT_EQ(daemon_->log().find(token), std::string::npos);
}

TEST_F(DaemonLifecycle, AdminPortInUseFailsTheStartWithAClearMessage) {
  TempDir dir;
  prepare(dir, main_config("admin: { listen: \"127.0.0.1:" + std::to_string(daemon_->admin_port()) +
                           "\" }\n"));
  DaemonProcess second(dir / "ttbridged.yaml", dir.path(), kEnv);
  EXPECT_FALSE(second.start());
  auto status = second.wait_exit();
  ASSERT_TRUE(status.has_value()) << second.log();
  EXPECT_EQ(*status, 1);
  const auto problems = second.events("start_problem");
  ASSERT_EQ(problems.size(), 1u) << second.log();
  EXPECT_NE(problems.front().find("admin listener: cannot listen on 127.0.0.1:" +
                                  std::to_string(daemon_->admin_port())),
            std::string::npos)
      << problems.front();
  EXPECT_NE(problems.front().find("admin.listen"), std::string::npos) << problems.front();
  // The first daemon is untouched.
  EXPECT_EQ(admin_get("/readyz").status, 200);
}

TEST_F(DaemonLifecycle, UnknownRouteIs404AndLogsCarryNoSecrets) {
  EXPECT_EQ(get("/nope").status, 404);
  const std::string log = daemon_->log();
  EXPECT_EQ(log.find("partner-api-key-123"), std::string::npos);
  EXPECT_EQ(log.find("webhook-secret-456"), std::string::npos);
  EXPECT_EQ(log.find("acme-token-1-0123456789"), std::string::npos);
}

TEST_F(DaemonLifecycle, SighupReloadsGoodTenantsAndKeepsOldOnesWhenBroken) {
  dir_.write("tenants/beta.yaml", tenant_yaml("beta", "beta-token-2-0123456789"));
  daemon_->signal(SIGHUP);
  ASSERT_TRUE(eventually([&] { return !daemon_->events("reloaded").empty(); })) << daemon_->log();
  EXPECT_NE(daemon_->events("reloaded").front().find("\"tenants\":2"), std::string::npos);

  dir_.write("tenants/broken.yaml", "id: [unclosed\n");
  daemon_->signal(SIGHUP);
  ASSERT_TRUE(eventually([&] { return !daemon_->events("reload_failed").empty(); }))
      << daemon_->log();
  auto problems = daemon_->events("config_problem");
  ASSERT_FALSE(problems.empty());
  EXPECT_NE(problems.back().find("broken.yaml:"), std::string::npos) << problems.back();

  // Still serving, still ready: the old tenants remain.
  EXPECT_EQ(admin_get("/readyz").status, 200);
}

// Files that used to exhaust memory or hang the loader: a reload refuses each, keeps the old
// tenants with a log line, and the signal loop keeps answering.
TEST_F(DaemonLifecycle, ReloadSurvivesAnAliasBombAFifoAndDevZero) {
  std::string bomb =
      "id: bomb\nactivation_token: \"bomb-token-3-0123456789\"\nx0: &x0 [a, a, a, a, a]\n";
  // Appended piece by piece: "x" + std::to_string(i) draws GCC 12's false -Wrestrict at -O3
  // (GCC bug 105329; docs/toolchain-gcc12-o3.md).
  for (int i = 1; i <= 12; ++i) {
    const std::string name = std::to_string(i);
    const std::string previous = std::to_string(i - 1);
    bomb.append("x").append(name).append(": &x").append(name).append(" [");
    for (int j = 0; j < 5; ++j) bomb.append(j ? ", *x" : "*x").append(previous);
    bomb.append("]\n");
  }
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"bomb.yaml", bomb},
      {"zero.yaml", "id: zero\nactivation_token: \"${file:/dev/zero}\"\n"},
      {"fifo.yaml", "id: fifo\nactivation_token: \"${file:secret.fifo}\"\n"}};
  ASSERT_EQ(::mkfifo((dir_ / "tenants/secret.fifo").c_str(), 0600), 0);
  std::size_t failures = 0;
  for (const auto& [file, text] : cases) {
    SCOPED_TRACE(file);
    dir_.write("tenants/" + file, text);
    daemon_->signal(SIGHUP);
    ++failures;
    ASSERT_TRUE(eventually([&] { return daemon_->events("reload_failed").size() == failures; }))
        << daemon_->log();
    std::filesystem::remove(dir_ / ("tenants/" + file));
    EXPECT_EQ(admin_get("/readyz").status, 200);
  }
  const std::string log = daemon_->log();
  EXPECT_NE(log.find("expands to more than 100000 values"), std::string::npos) << log;
  EXPECT_NE(log.find("is a device, not a regular file"), std::string::npos) << log;
  EXPECT_NE(log.find("is a FIFO, not a regular file"), std::string::npos) << log;
  // The loop still reloads good files.
  dir_.write("tenants/beta.yaml", tenant_yaml("beta", "beta-token-2-0123456789"));
  daemon_->signal(SIGHUP);
  ASSERT_TRUE(eventually([&] { return !daemon_->events("reloaded").empty(); })) << daemon_->log();
}

TEST_F(DaemonLifecycle, SigtermExitsCleanly) {
  EXPECT_EQ(get("/healthz").status, 200);
  EXPECT_EQ(admin_get("/healthz").status, 200);
  daemon_->signal(SIGTERM);
  auto status = daemon_->wait_exit();
  ASSERT_TRUE(status.has_value()) << daemon_->log();
  EXPECT_EQ(*status, 0) << daemon_->log();
  EXPECT_FALSE(daemon_->events("stopped").empty());
  // Both listeners are closed.
  EXPECT_EQ(get("/healthz").status, 0);
  EXPECT_EQ(admin_get("/healthz").status, 0);
}

}  // namespace
}  // namespace ttb
