#pragma once
// One end of the socketpair between ttbridged and a ttb-plugin-host child: sends whole frames
// (from any thread, never waiting for the peer to read) and reads them (from one reader thread).

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "plugins/isolation/frame.h"

namespace ttb::plugins::isolation {

class FrameChannel {
 public:
  // A peer that leaves more than `max_backlog` bytes unread is stuck, not slow.
  explicit FrameChannel(int fd, std::size_t max_backlog = kMaxBacklogBytes)
      : fd_(fd), max_backlog_(max_backlog), read_buffer_(kReadChunk) {}
  // Stops the backlog's thread and closes the descriptor; a backlog not yet written is dropped.
  ~FrameChannel();
  FrameChannel(const FrameChannel&) = delete;
  FrameChannel& operator=(const FrameChannel&) = delete;

  // Sends the whole frame, in order after every frame sent before it, and returns without
  // waiting for the peer to read: what the socket does not take at once waits in a backlog,
  // which a thread of this channel writes as the peer reads (the thread ends when the backlog
  // is drained). A peer that stops reading therefore holds no sender (the daemon's one plugin
  // HTTP thread answers every child). False when a send fails (the peer is gone, or the kernel
  // refused the bytes), or when the peer has left more than the backlog's limit unread: the
  // channel is then shut down, and its reader sees the end of the stream, with error() saying
  // why. Thread-safe.
  bool send(const Frame& frame);
  // Blocks for the next frame; nullopt at end of stream or on a broken stream (error() says
  // which: kEndOfStream for a peer that closed between frames). One reader at a time.
  std::optional<Frame> receive();
  const std::string& error() const { return error_; }
  // Wakes a blocked receive() (it returns nullopt) and refuses further sends.
  void shut_down();
  // Bytes sent that the socket has not taken yet: the backlog, and what its thread is writing.
  // Never more than the backlog's limit.
  std::size_t unwritten_bytes();

  static constexpr std::string_view kEndOfStream = "end of stream";
  // The backlog's limit: twice the largest frame, with their length prefixes.
  static constexpr std::size_t kMaxBacklogBytes = 2 * (kMaxFrameBytes + 4);

 private:
  static constexpr std::size_t kReadChunk = 65536;
  static constexpr std::size_t kWritePiece = std::size_t{1} << 20;  // the backlog's thread's

  void write_backlog();  // the backlog's thread: writes until the backlog is empty
  // Under write_mu_: refuses sends, drops the backlog, ends the peer's stream and this reader's
  // (which then reports `why`, when given).
  void break_locked(std::string why);

  int fd_;
  std::size_t max_backlog_;
  std::mutex write_mu_;
  std::string backlog_;  // bytes the socket has not taken yet, in order
  // The bytes the backlog's thread took out of backlog_ and has yet to write (it writes them a
  // piece at a time): they count against the limit, or a peer that reads slowly would let the
  // backlog fill again meanwhile.
  std::size_t writing_ = 0;
  // The backlog's thread is in its loop: it holds bytes taken from backlog_, or will take more.
  bool writer_running_ = false;
  bool broken_ = false;         // the peer is gone, or the channel was shut down
  bool closing_ = false;        // the destructor runs
  std::string shut_reason_;     // why this side ended the stream, if it did
  std::thread backlog_writer_;  // the last backlog's thread (joined before the next starts)

  std::vector<char> read_buffer_;  // the reader's, allocated once: not per frame
  FrameDecoder decoder_;
  std::string error_;
};

}  // namespace ttb::plugins::isolation
