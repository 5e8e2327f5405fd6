#pragma once
// The framed protocol between ttbridged and a ttb-plugin-host child (docs/plugin-isolation.md):
// length-prefixed frames over a Unix socketpair. A frame is a kind, an id and a list of byte
// fields (the ABI's JSON payloads travel as fields, unchanged). The decoder refuses anything that
// is not exactly a frame: a peer that sends garbage is a broken peer, not a message.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ttb::plugins::isolation {

enum class FrameKind : std::uint8_t {
  // daemon -> child
  create = 1,   // create an instance: id = instance key
  call = 2,     // one ABI call on an instance: id = call id
  destroy = 3,  // destroy an instance: id = instance key
  http_result = 4,
  clock_result = 5,
  // child -> daemon
  created = 20,  // answer to create, same id
  result = 21,   // answer to call, same id
  log = 22,
  http = 23,   // an HTTP request through the host: id = request id
  clock = 24,  // the host's clock: id = request id
};

struct Frame {
  FrameKind kind = FrameKind::call;
  std::uint64_t id = 0;
  std::vector<std::string> fields;

  // The field at `index`, or "" when the frame has fewer.
  std::string_view field(std::size_t index) const;
};

// A frame: u32 length of what follows, u8 kind, u64 id, u32 field count, then per field a u32
// length and its bytes (all little-endian). The largest frame carries a 16 MiB payload with room
// for its other fields.
inline constexpr std::size_t kMaxFrameBytes = std::size_t{40} * 1024 * 1024;
inline constexpr std::size_t kMaxFields = 4096;

// "" when the decoder takes a frame of this size, else why it refuses it (more than kMaxFields
// fields or kMaxFrameBytes bytes). The encoder does not check: a sender asks this first, since a
// frame its peer refuses breaks the stream, and every call on it with the stream.
std::string oversize(const Frame& frame);

// Appends the encoding of `frame` to `out`.
void encode_frame(const Frame& frame, std::string& out);
std::string encode_frame(const Frame& frame);

// Reassembles frames from a byte stream fed in arbitrary pieces.
class FrameDecoder {
 public:
  void feed(std::string_view bytes);
  // The next complete frame, or nullopt when more bytes are needed or the stream is broken
  // (error() then says why; a broken stream stays broken).
  std::optional<Frame> next();
  const std::string& error() const { return error_; }
  // True while part of a frame is buffered (at end of stream: a truncated frame).
  bool partial() const { return buffer_.size() > consumed_; }
  // The buffer's capacity (tests): a large frame grows it, and the decoder gives that back
  // when the frame is decoded (or, with part of the next one behind it, at the next feed()),
  // rather than hold it for the life of the stream.
  std::size_t capacity() const { return buffer_.capacity(); }

 private:
  std::string buffer_;
  std::size_t consumed_ = 0;
  std::string error_;
};

bool is_known_kind(std::uint8_t kind);

}  // namespace ttb::plugins::isolation
