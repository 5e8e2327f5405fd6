#include "app/systemd_notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace ttb::app {
namespace {

void notify(std::string_view state) {
  const char* name = std::getenv("NOTIFY_SOCKET");
  if (name == nullptr || (name[0] != '/' && name[0] != '@')) return;  // not under systemd
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::size_t length = std::strlen(name);
  // A path needs room for its NUL; an abstract name has none and may fill the field.
  if (length > sizeof address.sun_path || (name[0] == '/' && length == sizeof address.sun_path))
    return;
  std::memcpy(address.sun_path, name, length);
  if (address.sun_path[0] == '@') address.sun_path[0] = '\0';  // the abstract namespace
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL, reinterpret_cast<sockaddr*>(&address),
           static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + length));
  ::close(fd);
}

}  // namespace

void notify_ready() {
  notify("READY=1\nSTATUS=serving");
}
void notify_reloading() {
  notify("RELOADING=1\nSTATUS=reloading tenants");
}
void notify_stopping() {
  notify("STOPPING=1\nSTATUS=draining");
}

}  // namespace ttb::app
