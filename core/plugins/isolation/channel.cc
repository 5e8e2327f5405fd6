// Blocking frame I/O on a Unix stream socket; see channel.h.

#include "plugins/isolation/channel.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ttb::plugins::isolation {

FrameChannel::~FrameChannel() {
  if (fd_ >= 0) ::close(fd_);
}

bool FrameChannel::send(const Frame& frame) {
  const std::string bytes = encode_frame(frame);
  std::lock_guard lock(write_mu_);
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    // MSG_NOSIGNAL: a dead peer is an error to handle here, not a SIGPIPE for the process.
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

std::optional<Frame> FrameChannel::receive() {
  for (;;) {
    if (auto frame = decoder_.next()) return frame;
    if (!decoder_.error().empty()) {
      error_ = decoder_.error();
      return std::nullopt;
    }
    const ssize_t n = ::recv(fd_, read_buffer_.data(), read_buffer_.size(), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error_ = std::strerror(errno);
      return std::nullopt;
    }
    if (n == 0) {
      error_ = decoder_.partial() ? "end of stream inside a frame" : "end of stream";
      return std::nullopt;
    }
    decoder_.feed(std::string_view(read_buffer_.data(), static_cast<std::size_t>(n)));
  }
}

void FrameChannel::shut_down() {
  ::shutdown(fd_, SHUT_RDWR);
}

}  // namespace ttb::plugins::isolation
