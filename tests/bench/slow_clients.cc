#include "slow_clients.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

namespace ttb::bench {
namespace {

constexpr const char* kRequestStart = "GET /healthz HTTP/1.1\r\nHost: bench\r\n";

int connect_to(unsigned short port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool send_all(int fd, const std::string& bytes) {
  return ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
}

}  // namespace

SlowClients::SlowClients(unsigned short port, int idle, int trickling) : port_(port) {
  for (int i = 0; i < idle; ++i) {
    if (const int fd = connect_to(port); fd >= 0) idle_fds_.push_back(fd);
  }
  for (int i = 0; i < trickling; ++i) {
    const int fd = connect_to(port);
    if (fd < 0) continue;
    send_all(fd, kRequestStart);
    trickle_fds_.push_back(fd);
  }
  thread_ = std::thread([this] { trickle(); });
}

SlowClients::~SlowClients() {
  stopping_ = true;
  thread_.join();
  for (int fd : idle_fds_) ::close(fd);
  for (int fd : trickle_fds_) {
    if (fd >= 0) ::close(fd);
  }
}

void SlowClients::trickle() {
  int line = 0;
  while (!stopping_) {
    for (int& fd : trickle_fds_) {
      const std::string header = "X-Trickle-" + std::to_string(line) + ": a\r\n";
      if (fd >= 0 && send_all(fd, header)) continue;
      // Cut off by the server: come back, as a persistent slow client would.
      if (fd >= 0) ::close(fd);
      fd = connect_to(port_);
      if (fd >= 0 && send_all(fd, kRequestStart)) ++reconnects_;
    }
    ++line;
    for (int i = 0; i < 10 && !stopping_; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

}  // namespace ttb::bench
