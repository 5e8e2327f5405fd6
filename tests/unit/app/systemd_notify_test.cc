// The notifications systemd reads from a Type=notify service: each one datagram on the socket
// $NOTIFY_SOCKET names, a path or an abstract "@name", and nothing at all without it.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include "app/systemd_notify.h"
#include "temp_dir.h"

namespace ttb::app {
namespace {

// A datagram socket bound where systemd's would be, and $NOTIFY_SOCKET naming it.
class NotifySocket {
 public:
  explicit NotifySocket(const std::string& name) : fd_(::socket(AF_UNIX, SOCK_DGRAM, 0)) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, name.data(), name.size());
    if (address.sun_path[0] == '@') address.sun_path[0] = '\0';
    const auto size = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
    bound_ = ::bind(fd_, reinterpret_cast<sockaddr*>(&address), size) == 0;
    timeval wait{2, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    ::setenv("NOTIFY_SOCKET", name.c_str(), 1);
  }
  ~NotifySocket() {
    ::unsetenv("NOTIFY_SOCKET");
    ::close(fd_);
  }
  bool bound() const { return bound_; }
  // The next datagram, or "" after 2 s without one.
  std::string next() {
    char buffer[512];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : "";
  }
  // Whether a datagram is waiting, without waiting for one.
  bool empty() {
    char byte;
    return ::recv(fd_, &byte, 1, MSG_DONTWAIT | MSG_PEEK) < 0;
  }

 private:
  int fd_;
  bool bound_ = false;
};

TEST(SystemdNotify, EachStateIsOneDatagramOnTheSocketNamed) {
  testing::TempDir dir;
  NotifySocket systemd((dir / "notify").string());
  ASSERT_TRUE(systemd.bound());
  notify_ready();
  notify_reloading();
  notify_stopping();
  EXPECT_EQ(systemd.next(), "READY=1\nSTATUS=serving");
  EXPECT_EQ(systemd.next(), "RELOADING=1\nSTATUS=reloading tenants");
  EXPECT_EQ(systemd.next(), "STOPPING=1\nSTATUS=draining");
}

TEST(SystemdNotify, AnAbstractSocketNameStartsWithAnAt) {
  NotifySocket systemd("@ttb-notify-test-" + std::to_string(::getpid()));
  ASSERT_TRUE(systemd.bound());
  notify_ready();
  EXPECT_EQ(systemd.next(), "READY=1\nSTATUS=serving");
}

TEST(SystemdNotify, AnAbstractNameMayFillTheWholeAddress) {
  const std::string prefix = "@ttb-" + std::to_string(::getpid()) + "-";
  NotifySocket systemd(prefix + std::string(sizeof(sockaddr_un::sun_path) - prefix.size(), 'n'));
  ASSERT_TRUE(systemd.bound());
  notify_ready();
  EXPECT_EQ(systemd.next(), "READY=1\nSTATUS=serving");
}

TEST(SystemdNotify, NothingIsSentOutsideSystemdOrToAnAddressItCannotUse) {
  testing::TempDir dir;
  NotifySocket systemd((dir / "notify").string());
  ASSERT_TRUE(systemd.bound());
  ::unsetenv("NOTIFY_SOCKET");
  notify_ready();  // no socket named: a no-op
  ::setenv("NOTIFY_SOCKET", "vsock:2:1234", 1);
  notify_ready();  // not a path or an abstract name
  ::setenv("NOTIFY_SOCKET", (dir / "absent").c_str(), 1);
  notify_ready();  // no one listening there
  EXPECT_TRUE(systemd.empty());
}

}  // namespace
}  // namespace ttb::app
