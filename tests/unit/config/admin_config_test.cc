// The main config's `admin:` section: the admin listener's address, its token file, and the
// problems an operator can make with them, each at its line and column.
#include "config_fixture.h"

namespace ttb::config::testing {
namespace {

using AdminConfigTest = ConfigTest;

TEST_F(AdminConfigTest, DefaultsToLoopbackPort9090WithoutAToken) {
  write_main();
  const LoadResult result = load();
  ASSERT_TRUE(result.ok()) << all(result.problems);
  const AdminSettings& admin = result.config->main.admin;
  EXPECT_EQ(admin.listen, "127.0.0.1:9090");
  EXPECT_EQ(admin.host, "127.0.0.1");
  EXPECT_EQ(admin.port, 9090);
  EXPECT_TRUE(admin.token_file.empty());
  EXPECT_TRUE(admin.token.empty());
}

TEST_F(AdminConfigTest, ReadsListenAndTokenFile) {
  write("admin.token", "  0123456789abcdef0123456789abcdef\n");
  write("ttbridged.yaml",
        "server: { listen: \"127.0.0.1:8080\", public_url: \"https://x\" }\n"
        "admin:\n"
        "  listen: \"[::1]:9191\"\n"
        "  token_file: \"" +
            (dir_ / "admin.token").string() +
            "\"\n"
            "teamtailor: { api_key: a, webhook_secret: b }\n"
            "plugins: { dir: p }\n"
            "tenants: { dir: \"" +
            (dir_ / "tenants").string() + "\" }\n");
  const LoadResult result = load();
  ASSERT_TRUE(result.ok()) << all(result.problems);
  const AdminSettings& admin = result.config->main.admin;
  EXPECT_EQ(admin.listen, "[::1]:9191");
  EXPECT_EQ(admin.host, "::1");
  EXPECT_EQ(admin.port, 9191);
  EXPECT_EQ(admin.token_file, dir_ / "admin.token");
  EXPECT_EQ(admin.token.reveal(), "0123456789abcdef0123456789abcdef");
}

// server at line 1, admin at line 2, the admin keys from line 3 on.
std::string main_text(const std::string& server_listen, const std::string& admin_keys,
                      const std::filesystem::path& tenants) {
  return "server: { listen: \"" + server_listen + "\", public_url: \"https://x\" }\n" +
         (admin_keys.empty() ? std::string() : "admin:\n" + admin_keys) +
         "teamtailor: { api_key: a, webhook_secret: b }\n"
         "plugins: { dir: p }\n"
         "tenants: { dir: \"" +
         tenants.string() + "\" }\n";
}

TEST_F(AdminConfigTest, ReportsABadAddressAtItsPosition) {
  for (const std::string listen : {"localhost", "127.0.0.1:99999", ":9090", "[::1]9090"}) {
    write("ttbridged.yaml",
          main_text("127.0.0.1:8080", "  listen: \"" + listen + "\"\n", dir_ / "tenants"));
    const LoadResult result = load();
    EXPECT_FALSE(result.ok()) << listen;
    ASSERT_EQ(result.problems.size(), 1u) << all(result.problems);
    EXPECT_PROBLEM_AT(result.problems,
                      "admin.listen '" + listen +
                          "' is not host:port; write e.g. \"127.0.0.1:9090\" or \"[::1]:9090\"",
                      3, 11);
  }
}

TEST_F(AdminConfigTest, ReadsAUnixSocketPath) {
  // Port 9090 on the public listener does not clash with a socket.
  write("ttbridged.yaml",
        main_text("127.0.0.1:9090", "  listen: \"unix:/run/ttbridge/admin.sock\"\n",
                  dir_ / "tenants"));
  const LoadResult result = load();
  ASSERT_TRUE(result.ok()) << all(result.problems);
  const AdminSettings& admin = result.config->main.admin;
  EXPECT_EQ(admin.listen, "unix:/run/ttbridge/admin.sock");
  EXPECT_EQ(admin.socket_path, "/run/ttbridge/admin.sock");
  EXPECT_EQ(admin.port, 0);
}

TEST_F(AdminConfigTest, RefusesAnEmptyOrOverlongSocketPathAtItsPosition) {
  write("ttbridged.yaml", main_text("127.0.0.1:8080", "  listen: \"unix:\"\n", dir_ / "tenants"));
  LoadResult result = load();
  ASSERT_EQ(result.problems.size(), 1u) << all(result.problems);
  EXPECT_PROBLEM_AT(result.problems,
                    "admin.listen 'unix:' names no socket file; write e.g. "
                    "\"unix:/run/ttbridge/admin.sock\"",
                    3, 11);

  const std::string listen = "unix:/" + std::string(120, 's');
  write("ttbridged.yaml",
        main_text("127.0.0.1:8080", "  listen: \"" + listen + "\"\n", dir_ / "tenants"));
  result = load();
  ASSERT_EQ(result.problems.size(), 1u) << all(result.problems);
  EXPECT_PROBLEM_AT(result.problems,
                    "admin.listen '" + listen +
                        "': a Unix socket path must be shorter than 108 bytes; choose a shorter "
                        "one, e.g. \"unix:/run/ttbridge/admin.sock\"",
                    3, 11);
}

TEST_F(AdminConfigTest, ReportsAnUnknownKeyInAdmin) {
  write("ttbridged.yaml", main_text("127.0.0.1:8080", "  token: x\n", dir_ / "tenants"));
  const LoadResult result = load();
  ASSERT_EQ(result.problems.size(), 1u) << all(result.problems);
  EXPECT_PROBLEM_AT(result.problems,
                    "unknown key 'token' in admin; allowed keys: listen, token_file", 3, 3);
}

TEST_F(AdminConfigTest, ReportsAPortSharedWithTheServer) {
  write("ttbridged.yaml",
        main_text("127.0.0.1:8080", "  listen: \"127.0.0.1:8080\"\n", dir_ / "tenants"));
  LoadResult result = load();
  ASSERT_EQ(result.problems.size(), 1u) << all(result.problems);
  EXPECT_PROBLEM_AT(result.problems,
                    "admin.listen 127.0.0.1:8080 and server.listen 127.0.0.1:8080 use the same "
                    "port; the admin listener (/metrics, /readyz) needs an address of its own",
                    3, 11);

  // A wildcard address takes the port on every interface.
  write("ttbridged.yaml",
        main_text("0.0.0.0:9191", "  listen: \"127.0.0.1:9191\"\n", dir_ / "tenants"));
  result = load();
  ASSERT_EQ(result.problems.size(), 1u) << all(result.problems);
  EXPECT_PROBLEM_AT(result.problems, "server.listen 0.0.0.0:9191 use the same port", 3, 11);

  // No admin section: the clash with the default is shown at server.listen.
  write("ttbridged.yaml", main_text("127.0.0.1:9090", "", dir_ / "tenants"));
  result = load();
  ASSERT_EQ(result.problems.size(), 1u) << all(result.problems);
  EXPECT_PROBLEM_AT(result.problems, "(admin.listen is the default)", 1, 19);
}

TEST_F(AdminConfigTest, AcceptsDistinctPortsHostsAndEphemeralPorts) {
  for (const auto& [server, admin] :
       std::vector<std::pair<std::string, std::string>>{{"127.0.0.1:0", "127.0.0.1:0"},
                                                        {"127.0.0.1:8080", "127.0.0.1:8081"},
                                                        {"127.0.0.1:9090", "127.0.0.2:9090"},
                                                        {"[::1]:9090", "127.0.0.1:9090"}}) {
    write("ttbridged.yaml", main_text(server, "  listen: \"" + admin + "\"\n", dir_ / "tenants"));
    const LoadResult result = load();
    EXPECT_TRUE(result.ok()) << server << " / " << admin << "\n" << all(result.problems);
  }
}

TEST_F(AdminConfigTest, ReportsABadTokenFileWithoutShowingTheToken) {
  const std::string secret_ish = "short-token";
  write("short.token", secret_ish + "\n");
  write("spaced.token", "0123456789abcdef 0123456789abcdef\n");
  std::filesystem::create_directories(dir_ / "a-dir");
  const std::vector<std::pair<std::string, std::string>> cases{
      {(dir_ / "missing.token").string(), "does not exist"},
      {(dir_ / "a-dir").string(), "is not a regular file"},
      {(dir_ / "short.token").string(), "must hold one token of at least 16 characters"},
      {(dir_ / "spaced.token").string(), "must hold one token of at least 16 characters"},
      {"", "admin.token_file is empty"},
  };
  for (const auto& [file, needle] : cases) {
    write("ttbridged.yaml",
          main_text("127.0.0.1:8080", "  token_file: \"" + file + "\"\n", dir_ / "tenants"));
    const LoadResult result = load();
    ASSERT_EQ(result.problems.size(), 1u) << file << "\n" << all(result.problems);
    EXPECT_PROBLEM_AT(result.problems, needle, 3, 15);
    EXPECT_EQ(result.problems.front().message.find(secret_ish), std::string::npos);
  }
}

}  // namespace
}  // namespace ttb::config::testing
