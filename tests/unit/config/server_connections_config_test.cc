// The public listener's connection settings in `server:`: deadlines, caps, I/O threads and the
// optional TLS files, with each problem an operator can make reported at its line and column.
#include <filesystem>

#include "config_fixture.h"

namespace ttb::config::testing {
namespace {

using ServerConnectionsConfigTest = ConfigTest;

// The server keys from line 3 on.
std::string main_text(const std::string& server_keys, const std::filesystem::path& tenants) {
  std::string text = "server:\n  public_url: \"https://x\"\n";
  text += server_keys;
  text += "teamtailor: { api_key: a, webhook_secret: b }\nplugins: { dir: p }\ntenants: { dir: \"";
  text += tenants.string();
  text += "\" }\n";
  return text;
}

TEST_F(ServerConnectionsConfigTest, DefaultsHoldWithoutTheKeys) {
  write_main();
  const LoadResult result = load();
  ASSERT_TRUE(result.ok()) << all(result.problems);
  const ServerSettings& server = result.config->main.server;
  EXPECT_EQ(server.io_threads, 0u);
  EXPECT_EQ(server.header_timeout_ms, 5000);
  EXPECT_EQ(server.request_timeout_ms, 30000);
  EXPECT_EQ(server.idle_timeout_s, 60);
  EXPECT_EQ(server.max_connections, 10000u);
  EXPECT_EQ(server.max_connections_per_ip, 1000u);
  EXPECT_TRUE(server.tls_cert_file.empty());
  EXPECT_TRUE(server.tls_key_file.empty());
}

TEST_F(ServerConnectionsConfigTest, ReadsEveryKey) {
  write("cert.pem", "certificate\n");
  write("key.pem", "key\n");
  write("ttbridged.yaml", main_text("  io_threads: 3\n"
                                    "  header_timeout_ms: 2000\n"
                                    "  request_timeout_ms: 9000\n"
                                    "  idle_timeout_s: 75\n"
                                    "  max_connections: 500\n"
                                    "  max_connections_per_ip: 50\n"
                                    "  tls:\n"
                                    "    cert_file: \"" +
                                        (dir_ / "cert.pem").string() +
                                        "\"\n"
                                        "    key_file: \"" +
                                        (dir_ / "key.pem").string() + "\"\n",
                                    dir_ / "tenants"));
  const LoadResult result = load();
  ASSERT_TRUE(result.ok()) << all(result.problems);
  const ServerSettings& server = result.config->main.server;
  EXPECT_EQ(server.io_threads, 3u);
  EXPECT_EQ(server.header_timeout_ms, 2000);
  EXPECT_EQ(server.request_timeout_ms, 9000);
  EXPECT_EQ(server.idle_timeout_s, 75);
  EXPECT_EQ(server.max_connections, 500u);
  EXPECT_EQ(server.max_connections_per_ip, 50u);
  EXPECT_EQ(server.tls_cert_file, dir_ / "cert.pem");
  EXPECT_EQ(server.tls_key_file, dir_ / "key.pem");
}

TEST_F(ServerConnectionsConfigTest, TlsNeedsBothFiles) {
  write("cert.pem", "certificate\n");
  write("ttbridged.yaml",
        main_text("  tls:\n    cert_file: \"" + (dir_ / "cert.pem").string() + "\"\n",
                  dir_ / "tenants"));
  const LoadResult result = load();
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(result.problems.size(), 1u) << all(result.problems);
  EXPECT_PROBLEM_AT(result.problems,
                    "server.tls needs both cert_file and key_file; add key_file: "
                    "\"/etc/ttbridge/tls/key.pem\", or remove server.tls to serve plain HTTP "
                    "behind a proxy",
                    3, 3);
}

TEST_F(ServerConnectionsConfigTest, AMissingTlsFileIsNamedAtItsLine) {
  write("cert.pem", "certificate\n");
  const std::string missing = (dir_ / "no-such-key.pem").string();
  write("ttbridged.yaml", main_text("  tls:\n    cert_file: \"" + (dir_ / "cert.pem").string() +
                                        "\"\n    key_file: \"" + missing + "\"\n",
                                    dir_ / "tenants"));
  const LoadResult result = load();
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(result.problems.size(), 1u) << all(result.problems);
  EXPECT_PROBLEM_AT(result.problems,
                    "server.tls.key_file '" + missing +
                        "' does not exist (relative paths start at the working directory); name "
                        "the PEM file, or remove server.tls to serve plain HTTP behind a proxy",
                    5, 15);
}

TEST_F(ServerConnectionsConfigTest, ATlsPathThatIsADirectoryIsRefused) {
  write("key.pem", "key\n");
  write("ttbridged.yaml",
        main_text("  tls:\n    cert_file: \"" + dir_.string() + "\"\n    key_file: \"" +
                      (dir_ / "key.pem").string() + "\"\n",
                  dir_ / "tenants"));
  const LoadResult result = load();
  ASSERT_EQ(result.problems.size(), 1u) << all(result.problems);
  EXPECT_PROBLEM_AT(result.problems,
                    "server.tls.cert_file " + dir_.string() + " is not a regular file", 4, 16);
}

TEST_F(ServerConnectionsConfigTest, OutOfRangeValuesAreReportedAtTheirPosition) {
  write("ttbridged.yaml", main_text("  header_timeout_ms: 0\n"
                                    "  idle_timeout_s: forever\n"
                                    "  max_connections_per_ip: 0\n",
                                    dir_ / "tenants"));
  const LoadResult result = load();
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.problems.size(), 3u) << all(result.problems);
  EXPECT_PROBLEM_AT(result.problems,
                    "server.header_timeout_ms: expected an integer between 100 and 600000, got '0'",
                    3, 22);
  EXPECT_PROBLEM_AT(result.problems,
                    "server.idle_timeout_s: expected an integer between 1 and 86400, got 'forever'",
                    4, 19);
  EXPECT_PROBLEM_AT(
      result.problems,
      "server.max_connections_per_ip: expected an integer between 1 and 1000000, got '0'", 5, 27);
}

}  // namespace
}  // namespace ttb::config::testing
