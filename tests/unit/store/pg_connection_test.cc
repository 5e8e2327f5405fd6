// PgConnection against a server that never answers: a loopback socket that listens but never
// accepts, so the kernel completes the handshake and libpq waits for the server's first word.
// Without a connect timeout that wait has no end, and every write and /readyz would hang on it.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>

#include "store/pg_connection.h"

namespace ttb::store {
namespace {

class SilentServer {
 public:
  SilentServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::listen(fd_, 8) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ADD_FAILURE() << "cannot listen on 127.0.0.1";
      return;
    }
    port_ = ntohs(address.sin_port);
  }
  SilentServer(const SilentServer&) = delete;
  SilentServer& operator=(const SilentServer&) = delete;
  ~SilentServer() {
    if (fd_ >= 0) ::close(fd_);
  }
  std::string url(const std::string& query = "") const {
    std::string out = "postgresql://ttbridge@127.0.0.1:";
    out += std::to_string(port_);
    out += "/ttbridge";
    out += query;
    return out;
  }

 private:
  int fd_ = -1;
  unsigned short port_ = 0;
};

TEST(PgConnection, ASilentServerIsGivenUpOnWithTheDefaultTimeout) {
  SilentServer server;
  try {
    PgConnection connection(server.url());
    FAIL() << "connected to a server that never answered";
  } catch (const PgError& e) {
    EXPECT_NE(std::string(e.what()).find("timeout"), std::string::npos) << e.what();
  }
}

TEST(PgConnection, TheUrlsOwnConnectTimeoutIsKept) {
  SilentServer server;
  // A malformed value in the URL must reach libpq, which refuses it: so the URL's setting is
  // the one applied, not replaced by the default.
  try {
    PgConnection connection(server.url("?connect_timeout=soon"));
    FAIL() << "connected to a server that never answered";
  } catch (const PgError& e) {
    EXPECT_NE(std::string(e.what()).find("connect_timeout"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ttb::store
