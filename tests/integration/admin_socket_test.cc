// The admin listener on a Unix socket (admin.listen "unix:PATH"), through the real ttbridged and
// real requests over the socket: the file is a socket of mode 0660, a stale one is replaced, any
// other file at the path stops the start, the daemon removes its socket when it stops, and
// /healthz, /readyz, /metrics and the operator API answer there (without a token when none is
// configured: the file's mode is the boundary, but for a browser's changes).

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine_fixture.h"

namespace ttb {
namespace {

using nlohmann::json;

constexpr const char* kSocket = "var/admin.sock";

struct RawResponse {
  int status = 0;
  std::string head;
  std::string body;
};

int connect_to(const std::filesystem::path& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// One HTTP/1.1 request over the Unix socket at `path`, read until the daemon closes.
RawResponse over_socket(const std::filesystem::path& path, const std::string& method,
                        const std::string& target, const std::string& extra_headers = "") {
  RawResponse out;
  const int fd = connect_to(path);
  if (fd < 0) return out;
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n";
  request += "Connection: close\r\nContent-Length: 0\r\n" + extra_headers + "\r\n";
  std::size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = ::write(fd, request.data() + sent, request.size() - sent);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  std::string raw;
  char buffer[4096];
  for (ssize_t n = 0; (n = ::read(fd, buffer, sizeof buffer)) > 0;) raw.append(buffer, n);
  ::close(fd);
  const auto end_of_head = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.1 ", 0) != 0 || end_of_head == std::string::npos) return out;
  out.status = std::stoi(raw.substr(9, 3));
  out.head = raw.substr(0, end_of_head);
  out.body = raw.substr(end_of_head + 4);
  return out;
}

// A socket file whose process went away: bound, then closed without removing the file.
void leave_stale_socket(const std::filesystem::path& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ::close(fd);
}

testing::EngineOptions socket_options(const std::string& token = "") {
  testing::EngineOptions options;
  options.tenants.emplace_back("acme.yaml",
                               testing::tenant_yaml("acme", "acme-token-0123456789abcdef", ""));
  options.admin_listen = std::string("unix:") + kSocket;
  options.admin_token = token;
  return options;
}

TEST(AdminSocket, ServesHealthMetricsAndTheApiOnASocketOfMode0660) {
  testing::Engine engine(socket_options());
  const std::filesystem::path socket = engine.dir() / kSocket;
  std::filesystem::create_directories(socket.parent_path());
  leave_stale_socket(socket);
  ASSERT_EQ(connect_to(socket), -1);  // nothing accepts on it

  ASSERT_TRUE(engine.start()) << engine.log();
  EXPECT_EQ(engine.daemon().admin_socket(), kSocket);
  struct stat info {};
  ASSERT_EQ(::stat(socket.c_str(), &info), 0);
  EXPECT_TRUE(S_ISSOCK(info.st_mode));
  EXPECT_EQ(info.st_mode & 0777, 0660u);

  const RawResponse health = over_socket(socket, "GET", "/healthz");
  EXPECT_EQ(health.status, 200) << health.head;
  EXPECT_EQ(health.body, "ok\n");
  EXPECT_EQ(over_socket(socket, "GET", "/readyz").status, 200);
  const RawResponse metrics = over_socket(socket, "GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("ttbridge_build_info"), std::string::npos) << metrics.body;

  // No admin.token_file: on the socket the API is open to whoever may open the file.
  const RawResponse overview = over_socket(socket, "GET", "/api/overview");
  ASSERT_EQ(overview.status, 200) << overview.head << "\n" << overview.body;
  EXPECT_EQ(json::parse(overview.body)["tenants"], 1);
  EXPECT_EQ(over_socket(socket, "POST", "/api/jobs/12345/retry").status, 404);
  // The public listener still has no operator API.
  EXPECT_EQ(engine.request("GET", "/api/overview").status, 404);

  ASSERT_TRUE(engine.stop()) << engine.log();
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::symlink_status(socket)));
}

// Without a token, a proxy in front of the socket lets browsers in, and with them any page a
// browser visits: a change a browser asks for (it names its Origin or Sec-Fetch-Site) needs a
// console session and its CSRF token. Scripts on the socket need nothing.
TEST(AdminSocket, WithoutATokenABrowsersChangeStillNeedsItsSessionsCsrfToken) {
  testing::Engine engine(socket_options());
  ASSERT_TRUE(engine.start()) << engine.log();
  const std::filesystem::path socket = engine.dir() / kSocket;
  const std::string cross_site = "Origin: https://evil.example\r\nSec-Fetch-Site: cross-site\r\n";
  EXPECT_EQ(over_socket(socket, "POST", "/api/jobs/12345/retry", cross_site).status, 401);
  EXPECT_EQ(over_socket(socket, "POST", "/api/jobs/12345/retry", "Origin: null\r\n").status, 401);
  EXPECT_EQ(over_socket(socket, "POST", "/api/session", "Content-Type: text/plain\r\n").status,
            415);
  // Reads stay open, and so does a change from a script.
  EXPECT_EQ(over_socket(socket, "GET", "/api/overview", cross_site).status, 200);
  EXPECT_EQ(over_socket(socket, "POST", "/api/jobs/12345/retry").status, 404);

  // The console: it logs in (any token), then sends the session's CSRF token with each change.
  const RawResponse login =
      over_socket(socket, "POST", "/api/session", "Content-Type: application/json\r\n");
  ASSERT_EQ(login.status, 200) << login.head << login.body;
  const auto cookie_at = login.head.find("ttb_admin=");
  ASSERT_NE(cookie_at, std::string::npos) << login.head;
  const std::string cookie =
      login.head.substr(cookie_at, login.head.find(';', cookie_at) - cookie_at);
  const std::string csrf = json::parse(login.body)["csrf"];
  const std::string console =
      "Origin: http://localhost\r\nSec-Fetch-Site: same-origin\r\nCookie: " + cookie + "\r\n";
  EXPECT_EQ(over_socket(socket, "POST", "/api/jobs/12345/retry", console).status, 403);
  EXPECT_EQ(over_socket(socket, "POST", "/api/jobs/12345/retry",
                        console + "X-CSRF-Token: " + csrf + "\r\n")
                .status,
            404);
}

TEST(AdminSocket, WithATokenTheSocketStillNeedsIt) {
  const std::string token = "socket-token-0123456789abcdef";
  testing::Engine engine(socket_options(token));
  ASSERT_TRUE(engine.start()) << engine.log();
  const std::filesystem::path socket = engine.dir() / kSocket;
  EXPECT_EQ(over_socket(socket, "GET", "/api/overview").status, 401);
  EXPECT_EQ(over_socket(socket, "GET", "/metrics").status, 401);
  EXPECT_EQ(
      over_socket(socket, "GET", "/api/overview", "Authorization: Bearer " + token + "\r\n").status,
      200);
}

TEST(AdminSocket, AFileThatIsNotASocketStopsTheStartAndIsLeftAlone) {
  testing::Engine engine(socket_options());
  const std::filesystem::path socket = engine.dir() / kSocket;
  std::filesystem::create_directories(socket.parent_path());
  std::ofstream(socket) << "not a socket\n";

  EXPECT_FALSE(engine.start());
  EXPECT_NE(engine.log().find("is not a socket"), std::string::npos) << engine.log();
  std::ifstream kept(socket);
  std::string line;
  std::getline(kept, line);
  EXPECT_EQ(line, "not a socket");
}

TEST(AdminSocket, ASecondDaemonDoesNotTakeOverALiveSocket) {
  testing::Engine first(socket_options());
  ASSERT_TRUE(first.start()) << first.log();
  const std::filesystem::path socket = first.dir() / kSocket;

  // The second daemon is pointed at the first one's socket by an absolute path.
  testing::EngineOptions options = socket_options();
  options.admin_listen = "unix:" + socket.string();
  testing::Engine second(options);
  EXPECT_FALSE(second.start());
  EXPECT_NE(second.log().find("another process is listening there"), std::string::npos)
      << second.log();
  EXPECT_EQ(over_socket(socket, "GET", "/healthz").status, 200);
}

}  // namespace
}  // namespace ttb
