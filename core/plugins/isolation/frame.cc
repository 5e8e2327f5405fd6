// Frame encoding and the strict decoder; see frame.h.

#include "plugins/isolation/frame.h"

namespace ttb::plugins::isolation {
namespace {

constexpr std::size_t kHeaderBytes = 1 + 8 + 4;  // kind, id, field count (after the length)
// The most buffer a decoder keeps between frames. One large frame (a report's bytes, up to
// kMaxFrameBytes) would otherwise hold its size for as long as the child lives, in the daemon
// and in the child alike.
constexpr std::size_t kKeptCapacity = std::size_t{256} * 1024;

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xffU));
}
void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xffU));
}
std::uint64_t get_le(std::string_view in, std::size_t at, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i)
    v |= std::uint64_t{static_cast<unsigned char>(in[at + static_cast<std::size_t>(i)])} << (8 * i);
  return v;
}

// What follows the frame's length: its header and its fields.
std::size_t body_bytes(const Frame& frame) {
  std::size_t body = kHeaderBytes;
  for (const auto& f : frame.fields) body += 4 + f.size();
  return body;
}

}  // namespace

std::string_view Frame::field(std::size_t index) const {
  return index < fields.size() ? std::string_view(fields[index]) : std::string_view{};
}

bool is_known_kind(std::uint8_t kind) {
  return (kind >= 1 && kind <= 5) || (kind >= 20 && kind <= 24);
}

std::string oversize(const Frame& frame) {
  if (frame.fields.size() > kMaxFields)
    return std::to_string(frame.fields.size()) + " fields, more than the " +
           std::to_string(kMaxFields) + " a frame may carry";
  if (const std::size_t bytes = body_bytes(frame); bytes > kMaxFrameBytes)
    return std::to_string(bytes) + " bytes, more than the " + std::to_string(kMaxFrameBytes) +
           " a frame may carry";
  return {};
}

void encode_frame(const Frame& frame, std::string& out) {
  const std::size_t body = body_bytes(frame);
  out.reserve(out.size() + 4 + body);
  put_u32(out, static_cast<std::uint32_t>(body));
  out.push_back(static_cast<char>(frame.kind));
  put_u64(out, frame.id);
  put_u32(out, static_cast<std::uint32_t>(frame.fields.size()));
  for (const auto& f : frame.fields) {
    put_u32(out, static_cast<std::uint32_t>(f.size()));
    out += f;
  }
}

std::string encode_frame(const Frame& frame) {
  std::string out;
  encode_frame(frame, out);
  return out;
}

void FrameDecoder::feed(std::string_view bytes) {
  if (!error_.empty()) return;
  // Drop what next() has decoded: only the partial frame left, if any, is moved. (Keeping the
  // consumed bytes until the buffer ends on a frame boundary let it grow without bound under a
  // steady stream.)
  if (consumed_ > 0) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  // A copy, not shrink_to_fit(), which libstdc++ may leave undone.
  if (buffer_.capacity() > kKeptCapacity && buffer_.size() + bytes.size() <= kKeptCapacity)
    std::string(buffer_).swap(buffer_);
  buffer_.append(bytes);
}

std::optional<Frame> FrameDecoder::next() {
  if (!error_.empty()) return std::nullopt;
  const std::string_view in = std::string_view(buffer_).substr(consumed_);
  if (in.size() < 4) return std::nullopt;
  const std::uint64_t length = get_le(in, 0, 4);
  if (length < kHeaderBytes) {
    error_ = "frame of " + std::to_string(length) + " bytes is shorter than its header";
    return std::nullopt;
  }
  if (length > kMaxFrameBytes) {
    error_ = "frame of " + std::to_string(length) + " bytes exceeds the limit of " +
             std::to_string(kMaxFrameBytes);
    return std::nullopt;
  }
  if (in.size() < 4 + length) {
    // A large frame gets its room once, not by doubling up to twice its size.
    if (length > kKeptCapacity) buffer_.reserve(consumed_ + 4 + length);
    return std::nullopt;
  }
  const std::string_view body = in.substr(4, length);
  const auto kind = static_cast<std::uint8_t>(body[0]);
  if (!is_known_kind(kind)) {
    error_ = "frame of unknown kind " + std::to_string(kind);
    return std::nullopt;
  }
  Frame frame;
  frame.kind = static_cast<FrameKind>(kind);
  frame.id = get_le(body, 1, 8);
  const std::uint64_t count = get_le(body, 9, 4);
  if (count > kMaxFields) {
    error_ = "frame declares " + std::to_string(count) + " fields";
    return std::nullopt;
  }
  std::size_t at = kHeaderBytes;
  frame.fields.reserve(count);
  for (std::uint64_t i = 0; i < count; ++i) {
    if (body.size() - at < 4) {
      error_ = "frame ends inside the length of field " + std::to_string(i);
      return std::nullopt;
    }
    const std::uint64_t n = get_le(body, at, 4);
    at += 4;
    if (body.size() - at < n) {
      error_ = "field " + std::to_string(i) + " runs past the end of its frame";
      return std::nullopt;
    }
    frame.fields.emplace_back(body.substr(at, n));
    at += n;
  }
  if (at != body.size()) {
    error_ = "frame has " + std::to_string(body.size() - at) + " bytes after its last field";
    return std::nullopt;
  }
  consumed_ += 4 + length;
  if (consumed_ == buffer_.size()) {
    if (buffer_.capacity() > kKeptCapacity)
      std::string().swap(buffer_);  // a large frame's room goes with it
    else
      buffer_.clear();
    consumed_ = 0;
  }
  return frame;
}

}  // namespace ttb::plugins::isolation
