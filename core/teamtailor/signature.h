#pragma once
// Teamtailor-Signature on POST /webhook (docs/protocols/teamtailor.md, "Webhook signature"):
// `t=<unix>,v1=<hex>,v0=<decoy>`,
// v1 = hex(HMAC-SHA256(webhook secret, t + "." + partner-event.id)). Only v1 entries count.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace ttb::teamtailor {

enum class SignatureVerdict {
  valid,
  missing,    // no header, or an empty one
  malformed,  // not `t=<digits>,k=v,...`
  no_v1,      // only decoys (v0, ...): a downgrade attempt or an old sender
  mismatch,   // no v1 entry equals the expected HMAC
  stale,      // authentic, but t is outside now ± tolerance
};

// `header` is the raw header value (empty when absent). Entries are split on ',' and trimmed; with
// several v1 entries any one may match. The HMAC is compared in constant time. A valid HMAC with
// a timestamp outside the window is `stale`, so a clock problem is told apart from a forgery.
SignatureVerdict verify_signature(std::string_view header, std::string_view event_id,
                                  std::string_view webhook_secret,
                                  std::chrono::system_clock::time_point now,
                                  std::chrono::seconds tolerance);

// A short reason that is safe to return to the caller (no secrets, no expected values).
const char* describe(SignatureVerdict verdict);

// Hex SHA-256 of a webhook body. The signature covers only the event id, so the route records
// this next to the event id to tell a retry (same body) from a replay with another body.
std::string body_digest(std::string_view body);

// The header Teamtailor would send: `t=<t>,v1=<hmac>,v0=<decoy>`. For fakes, tests and the bench.
std::string sign_header(std::string_view webhook_secret, std::int64_t t, std::string_view event_id);

}  // namespace ttb::teamtailor
