// Frame I/O on a Unix stream socket: sends that never wait for the peer, a blocking reader; see
// channel.h.

#include "plugins/isolation/channel.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

#include "ops/thread_name.h"

namespace ttb::plugins::isolation {
namespace {

// Writes `bytes` from `sent` on, advancing `sent`: up to `upto` (all of them by default) when
// `wait`, else what the socket takes at once. 0, or the errno of a send that failed: the peer is
// gone, the socket was shut down, or the kernel refused. MSG_NOSIGNAL: a dead peer is an error to
// handle here, not a SIGPIPE for the process.
int write_from(int fd, const std::string& bytes, std::size_t& sent, bool wait,
               std::size_t upto = std::string::npos) {
  const int flags = MSG_NOSIGNAL | (wait ? 0 : MSG_DONTWAIT);
  upto = std::min(upto, bytes.size());
  while (sent < upto) {
    const ssize_t n = ::send(fd, bytes.data() + sent, upto - sent, flags);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && !wait && (errno == EAGAIN || errno == EWOULDBLOCK)) return 0;
    if (n < 0) return errno;
    if (n == 0) return EPIPE;  // not for a non-empty send; never loop on it
    sent += static_cast<std::size_t>(n);
  }
  return 0;
}

// Why a channel whose send failed ends its stream: nothing to add to the end of the stream for a
// peer that is gone (its reader sees that end too, or the frame it broke off in), else the error.
std::string send_failed(int error) {
  if (error == EPIPE || error == ECONNRESET) return {};
  return "sending to the peer failed: " + std::system_category().message(error);
}

}  // namespace

FrameChannel::~FrameChannel() {
  {
    std::lock_guard lock(write_mu_);
    closing_ = true;
    // The backlog's thread may wait in send(): the shutdown ends that wait. Without it, the
    // close below is the peer's end of stream, as it always was.
    if (writer_running_) break_locked({});
  }
  if (backlog_writer_.joinable()) backlog_writer_.join();
  if (fd_ >= 0) ::close(fd_);
}

bool FrameChannel::send(const Frame& frame) {
  const std::string bytes = encode_frame(frame);
  std::lock_guard lock(write_mu_);
  if (broken_) return false;
  std::size_t sent = 0;
  // Straight to the socket, unless bytes sent earlier still wait: they go first.
  if (!writer_running_) {
    // A frame half sent breaks the stream for every frame after it: the reader is ended too, so
    // that the peer is treated as gone at once rather than when its calls time out.
    if (const int error = write_from(fd_, bytes, sent, /*wait=*/false); error != 0) {
      break_locked(send_failed(error));
      return false;
    }
    if (sent == bytes.size()) return true;
  }
  if (const std::size_t unread = backlog_.size() + writing_ + (bytes.size() - sent);
      unread > max_backlog_) {
    break_locked("the peer left " + std::to_string(unread) + " bytes unread");
    return false;
  }
  backlog_.append(bytes, sent, std::string::npos);
  if (!writer_running_) {
    // The last backlog's thread, if any, has left its loop: it only has to return.
    if (backlog_writer_.joinable()) backlog_writer_.join();
    try {
      backlog_writer_ = std::thread([this] { write_backlog(); });
    } catch (const std::system_error& e) {  // no thread to be had: the frame cannot go out
      break_locked(std::string("no thread to write the backlog: ") + e.what());
      return false;
    }
    writer_running_ = true;
  }
  return true;
}

void FrameChannel::write_backlog() {
  ops::name_this_thread("ttb-frame-out");
  std::unique_lock lock(write_mu_);
  while (!closing_ && !broken_ && !backlog_.empty()) {
    const std::string bytes = std::exchange(backlog_, std::string());
    writing_ = bytes.size();
    // In pieces, so that what the peer has read stops counting against the limit as it goes.
    int error = 0;
    for (std::size_t sent = 0; error == 0 && sent < bytes.size() && !closing_ && !broken_;) {
      const std::size_t upto = std::min(bytes.size(), sent + kWritePiece);
      lock.unlock();
      error = write_from(fd_, bytes, sent, /*wait=*/true, upto);
      lock.lock();
      writing_ = bytes.size() - sent;
    }
    writing_ = 0;
    if (error != 0) break_locked(send_failed(error));
  }
  // Drained: senders write straight to the socket again, and an idle channel keeps no thread.
  writer_running_ = false;
}

void FrameChannel::break_locked(std::string why) {
  if (!broken_) shut_reason_ = std::move(why);
  broken_ = true;
  backlog_.clear();
  ::shutdown(fd_, SHUT_RDWR);
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
      std::lock_guard lock(write_mu_);
      if (!shut_reason_.empty())
        error_ = shut_reason_;
      else
        error_ = decoder_.partial() ? "end of stream inside a frame" : std::string(kEndOfStream);
      return std::nullopt;
    }
    decoder_.feed(std::string_view(read_buffer_.data(), static_cast<std::size_t>(n)));
  }
}

std::size_t FrameChannel::unwritten_bytes() {
  std::lock_guard lock(write_mu_);
  return backlog_.size() + writing_;
}

void FrameChannel::shut_down() {
  std::lock_guard lock(write_mu_);
  break_locked({});
}

}  // namespace ttb::plugins::isolation
