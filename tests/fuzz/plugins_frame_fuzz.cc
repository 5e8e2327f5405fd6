// The frame decoder of plugin isolation (core/plugins/isolation/frame.h): what the daemon reads
// from a ttb-plugin-host child, which runs plugin code and so is not trusted. Input: raw bytes,
// fed in two pieces (the first byte says where to cut). Every decoded frame re-encodes to the
// bytes it came from, and the message readers accept any decoded frame.

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "plugins/isolation/frame.h"
#include "plugins/isolation/messages.h"

namespace iso = ttb::plugins::isolation;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input = ttb::fuzz::as_text(data + 1, size - 1);
  const std::size_t cut = data[0] % (input.size() + 1);
  iso::FrameDecoder decoder;
  decoder.feed(input.substr(0, cut));
  std::string decoded;
  auto drain = [&] {
    while (auto frame = decoder.next()) {
      iso::encode_frame(*frame, decoded);
      (void)iso::call_result_of(*frame);
      (void)iso::call_request_of(*frame);
      (void)iso::instance_info_of(*frame);
      (void)iso::log_record_of(*frame);
      (void)iso::http_request_of(*frame);
      (void)iso::http_response_of(*frame);
    }
  };
  drain();
  decoder.feed(input.substr(cut));
  drain();
  // What was accepted is exactly a prefix of the input: nothing invented, nothing reordered.
  TTB_FUZZ_CHECK(input.substr(0, decoded.size()) == decoded);
  TTB_FUZZ_CHECK(decoder.error().empty() || decoded.size() < input.size());
  return 0;
}
