// Teamtailor-Signature header parse and verify (core/teamtailor/signature.h).
// Input: line 1 is the header value, the rest is partner-event.id.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "teamtailor/signature.h"

namespace tt = ttb::teamtailor;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = ttb::fuzz::fields(ttb::fuzz::as_text(data, size), 2);
  const std::string_view header = parts[0];
  const std::string_view event_id = parts[1];
  constexpr std::string_view kSecret = "whsec_fuzz";
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000));
  constexpr std::chrono::seconds kTolerance(300);

  const tt::SignatureVerdict verdict =
      tt::verify_signature(header, event_id, kSecret, now, kTolerance);
  TTB_FUZZ_CHECK(tt::describe(verdict) != nullptr);
  if (header.empty()) TTB_FUZZ_CHECK(verdict == tt::SignatureVerdict::missing);

  // What Teamtailor sends for this event id verifies, now and only now (± tolerance).
  const std::string signed_header = tt::sign_header(kSecret, 1700000000, event_id);
  TTB_FUZZ_CHECK(tt::verify_signature(signed_header, event_id, kSecret, now, kTolerance) ==
                 tt::SignatureVerdict::valid);
  TTB_FUZZ_CHECK(tt::verify_signature(signed_header, event_id, kSecret, now + kTolerance * 2,
                                      kTolerance) == tt::SignatureVerdict::stale);
  TTB_FUZZ_CHECK(tt::verify_signature(signed_header, event_id, "another secret", now, kTolerance) ==
                 tt::SignatureVerdict::mismatch);
  return 0;
}
