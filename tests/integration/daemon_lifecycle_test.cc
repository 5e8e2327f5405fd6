// The daemon as an operator runs it: starts on a config, serves the operator routes, reloads
// tenants on SIGHUP (keeping the old ones when the new files are broken), exits 0 on SIGTERM.

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

constexpr const char* kMainConfig = R"(server:
  listen: "127.0.0.1:0"
  public_url: "http://127.0.0.1:9"
teamtailor:
  api_url: "http://127.0.0.1:9/partner/v1"
  api_key: "${env:TT_KEY}"
  webhook_secret: "${env:TT_SECRET}"
store: { url: "sqlite://var/ttbridge.db" }
plugins: { dir: "plugins" }
tenants: { dir: "tenants" }
)";

std::string tenant_yaml(const std::string& id, const std::string& token) {
  return "id: " + id + "\nactivation_token: \"" + token + "\"\nproviders: []\n";
}

class DaemonLifecycle : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("ttbridged.yaml", kMainConfig);
    dir_.write("tenants/acme.yaml", tenant_yaml("acme", "acme-token-1"));
    std::filesystem::create_directories(dir_ / "plugins");
    std::filesystem::create_directories(dir_ / "var");
    daemon_ = std::make_unique<DaemonProcess>(
        dir_ / "ttbridged.yaml", dir_.path(),
        std::vector<std::pair<std::string, std::string>>{{"TT_KEY", "partner-api-key-123"},
                                                         {"TT_SECRET", "webhook-secret-456"}});
    ASSERT_TRUE(daemon_->start()) << daemon_->log();
  }

  net::ClientResponse get(const std::string& path) {
    net::ClientRequest request;
    request.url = daemon_->base_url() + path;
    return client_->send(request);
  }

  TempDir dir_;
  std::unique_ptr<DaemonProcess> daemon_;
  std::unique_ptr<net::HttpClient> client_ = net::make_http_client();
};

TEST_F(DaemonLifecycle, ServesHealthReadinessAndMetrics) {
  auto health = get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_FALSE(health.header("X-Request-Id").value_or("").empty());

  EXPECT_EQ(get("/readyz").status, 200);

  auto metrics = get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("ttbridge_build_info{"), std::string::npos);
  EXPECT_NE(metrics.body.find("ttbridge_uptime_seconds"), std::string::npos);
  EXPECT_NE(metrics.body.find("ttbridge_http_requests_total{method=\"GET\",route=\"/healthz\","
                              "status=\"200\"} 1"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("ttbridge_http_request_duration_seconds_bucket"), std::string::npos);
}

TEST_F(DaemonLifecycle, UnknownRouteIs404AndLogsCarryNoSecrets) {
  EXPECT_EQ(get("/nope").status, 404);
  const std::string log = daemon_->log();
  EXPECT_EQ(log.find("partner-api-key-123"), std::string::npos);
  EXPECT_EQ(log.find("webhook-secret-456"), std::string::npos);
  EXPECT_EQ(log.find("acme-token-1"), std::string::npos);
}

TEST_F(DaemonLifecycle, SighupReloadsGoodTenantsAndKeepsOldOnesWhenBroken) {
  dir_.write("tenants/beta.yaml", tenant_yaml("beta", "beta-token-2"));
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
  EXPECT_EQ(get("/readyz").status, 200);
}

// Files that used to exhaust memory or hang the loader: a reload refuses each, keeps the old
// tenants with a log line, and the signal loop keeps answering.
TEST_F(DaemonLifecycle, ReloadSurvivesAnAliasBombAFifoAndDevZero) {
  std::string bomb = "id: bomb\nactivation_token: \"bomb-token-3\"\nx0: &x0 [a, a, a, a, a]\n";
  for (int i = 1; i <= 12; ++i) {
    bomb += "x" + std::to_string(i) + ": &x" + std::to_string(i) + " [";
    for (int j = 0; j < 5; ++j) bomb += (j ? ", *x" : "*x") + std::to_string(i - 1);
    bomb += "]\n";
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
    EXPECT_EQ(get("/readyz").status, 200);
  }
  const std::string log = daemon_->log();
  EXPECT_NE(log.find("expands to more than 100000 values"), std::string::npos) << log;
  EXPECT_NE(log.find("is a device, not a regular file"), std::string::npos) << log;
  EXPECT_NE(log.find("is a FIFO, not a regular file"), std::string::npos) << log;
  // The loop still reloads good files.
  dir_.write("tenants/beta.yaml", tenant_yaml("beta", "beta-token-2"));
  daemon_->signal(SIGHUP);
  ASSERT_TRUE(eventually([&] { return !daemon_->events("reloaded").empty(); })) << daemon_->log();
}

TEST_F(DaemonLifecycle, SigtermExitsCleanly) {
  EXPECT_EQ(get("/healthz").status, 200);
  daemon_->signal(SIGTERM);
  auto status = daemon_->wait_exit();
  ASSERT_TRUE(status.has_value()) << daemon_->log();
  EXPECT_EQ(*status, 0) << daemon_->log();
  EXPECT_FALSE(daemon_->events("stopped").empty());
}

}  // namespace
}  // namespace ttb
