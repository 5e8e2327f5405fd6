// Failed authentication has a budget per client address (docs/architecture.md, "Authentication
// and limits"; docs/configuration.md, server.auth_failure_*): the real ttbridged answers a
// client's bad credentials with 429 and Retry-After once it spent it, on every partner route. Its
// valid credentials are still served: Teamtailor sends every tenant's requests from the same few
// addresses, so one tenant's stale key must not get another tenant's webhooks refused. Another
// client's budget is its own.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include <gtest/gtest.h>

#include "engine_fixture.h"
#include "fakes/testvendor/fake_testvendor.h"

namespace ttb {
namespace {

using fakes::BearerMode;
using testing::Engine;
using testing::EngineOptions;
using testing::tenant_yaml;

constexpr const char* kToken = "acme-limits-token-0123456789";
constexpr const char* kGlobexToken = "globex-limits-token-0123456789";

// GET `path` from the source address `from` (another loopback address than the test's own
// 127.0.0.1), raw; returns the status line and headers as received ("" on failure).
std::string get_from(const std::string& from, unsigned short port, const std::string& path,
                     const std::string& authorization) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  sockaddr_in local{};
  local.sin_family = AF_INET;
  ::inet_pton(AF_INET, from.c_str(), &local.sin_addr);
  sockaddr_in server{};
  server.sin_family = AF_INET;
  server.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
  std::string answer;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) == 0 &&
      ::connect(fd, reinterpret_cast<sockaddr*>(&server), sizeof server) == 0) {
    const std::string request = "GET " + path +
                                " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + authorization +
                                "\r\nConnection: close\r\n\r\n";
    if (::send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size())) {
      char buffer[4096];
      for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) answer.append(buffer, n);
    }
  }
  ::close(fd);
  return answer;
}

class PartnerAuthLimits : public ::testing::Test {
 protected:
  void SetUp() override {
    EngineOptions options;
    options.tenants = {{"acme.yaml", tenant_yaml("acme", kToken, "")},
                       {"globex.yaml", tenant_yaml("globex", kGlobexToken,
                                                   "  - name: testvendor\n    plugin: "
                                                   "testvendor\n    config: " +
                                                       vendor_.plugin_config().dump() + "\n")}};
    options.server_extra = "  auth_failure_burst: 4\n  auth_failure_per_minute: 1\n";
    engine_ = std::make_unique<Engine>(options);
    ASSERT_TRUE(engine_->start()) << engine_->log();
  }

  unsigned short port() const {
    const std::string url = engine_->base_url();
    return static_cast<unsigned short>(std::stoi(url.substr(url.rfind(':') + 1)));
  }

  fakes::testvendor::FakeTestVendor vendor_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(PartnerAuthLimits, BadGuessesEndIn429WhileValidCredentialsAreServed) {
  for (int i = 0; i < 4; ++i) {
    auto r = engine_->sender().get("/activation/validate", "guess-" + std::to_string(i));
    EXPECT_EQ(r.status, 401) << i << r.body;
  }
  // The budget is spent: this address's bad credentials are refused with 429, on every partner
  // route.
  auto limited = engine_->sender().get("/activation/validate", "guess-4");
  EXPECT_EQ(limited.status, 429) << limited.body;
  EXPECT_GE(std::stoi(limited.header("Retry-After").value_or("0")), 1);
  EXPECT_EQ(engine_->sender().get("/config?job_id=1", "guess-5").status, 429);
  EXPECT_EQ(engine_->sender().send("guess-6").response.status, 429);
  EXPECT_EQ(engine_->request("GET", "/healthz").status, 200);  // not a partner route

  // Valid credentials from the same address are served: acme's own, and another tenant's
  // webhook, which is accepted.
  auto valid = engine_->sender().get("/activation/validate", kToken);
  EXPECT_EQ(valid.status, 200) << valid.body;
  EXPECT_EQ(engine_->sender().get("/config?job_id=1", kGlobexToken).status, 200);
  fakes::WebhookParams params;
  params.test = "testvendor:t1";
  auto sent = engine_->sender().send(kGlobexToken, params);
  EXPECT_EQ(sent.response.status, 202) << sent.response.body << engine_->log();
  EXPECT_EQ(engine_->sender().get("/activation/validate", "guess-7").status, 429)
      << "served credentials give no budget back";

  // Another client address has a budget of its own.
  const std::string good = engine_->sender().authorization(kToken, BearerMode::jwt);
  const std::string answer = get_from("127.0.0.2", port(), "/activation/validate", good);
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
  // ...and its bad guesses count against its own budget only.
  const std::string bad = get_from("127.0.0.2", port(), "/activation/validate", "Bearer nope");
  EXPECT_EQ(bad.rfind("HTTP/1.1 401", 0), 0u) << bad;

  // One aggregated line for the client's failures, not one per failure.
  const std::string log = engine_->log();
  int lines = 0;
  for (auto at = log.find("\"auth_failures\""); at != std::string::npos;
       at = log.find("\"auth_failures\"", at + 1)) {
    ++lines;
  }
  EXPECT_EQ(lines, 2) << log;  // 127.0.0.1's first failure, 127.0.0.2's first failure
  EXPECT_EQ(log.find("activation_refused"), std::string::npos);
}

}  // namespace
}  // namespace ttb
