#pragma once
// One end of the socketpair between ttbridged and a ttb-plugin-host child: sends whole frames
// (from any thread) and reads them (from one reader thread).

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "plugins/isolation/frame.h"

namespace ttb::plugins::isolation {

class FrameChannel {
 public:
  explicit FrameChannel(int fd) : fd_(fd), read_buffer_(kReadChunk) {}
  ~FrameChannel();  // closes the descriptor
  FrameChannel(const FrameChannel&) = delete;
  FrameChannel& operator=(const FrameChannel&) = delete;

  // Writes the whole frame; false when the peer is gone. Thread-safe.
  bool send(const Frame& frame);
  // Blocks for the next frame; nullopt at end of stream or on a broken stream (error() says
  // which). One reader at a time.
  std::optional<Frame> receive();
  const std::string& error() const { return error_; }
  // Wakes a blocked receive() (it returns nullopt) and refuses further sends.
  void shut_down();

 private:
  static constexpr std::size_t kReadChunk = 65536;

  int fd_;
  std::mutex write_mu_;
  std::vector<char> read_buffer_;  // the reader's, allocated once: not per frame
  FrameDecoder decoder_;
  std::string error_;
};

}  // namespace ttb::plugins::isolation
