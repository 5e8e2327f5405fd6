#include "teamtailor/signature.h"

#include <optional>
#include <vector>

#include "teamtailor/crypto.h"
#include "teamtailor/text.h"

namespace ttb::teamtailor {

namespace {

// 18 digits stay far inside int64 and cover every plausible unix time.
constexpr std::size_t kMaxTimestampDigits = 18;
constexpr std::size_t kMaxEntries = 16;

std::optional<std::int64_t> parse_unix_time(std::string_view digits) {
  if (digits.empty() || digits.size() > kMaxTimestampDigits) return std::nullopt;
  std::int64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

SignatureVerdict verify_signature(std::string_view header, std::string_view event_id,
                                  std::string_view webhook_secret,
                                  std::chrono::system_clock::time_point now,
                                  std::chrono::seconds tolerance) {
  header = trim(header);
  if (header.empty()) return SignatureVerdict::missing;

  std::optional<std::int64_t> timestamp;
  std::string_view timestamp_text;
  std::vector<std::string_view> v1_values;
  std::size_t entries = 0;
  for (std::string_view entry : split(header, ',')) {
    entry = trim(entry);
    if (entry.empty()) continue;
    if (++entries > kMaxEntries) return SignatureVerdict::malformed;
    auto eq = entry.find('=');
    if (eq == std::string_view::npos || eq == 0) return SignatureVerdict::malformed;
    std::string_view key = trim(entry.substr(0, eq));
    std::string_view value = trim(entry.substr(eq + 1));
    if (key == "t") {
      if (timestamp) return SignatureVerdict::malformed;  // two timestamps: which one is signed?
      timestamp = parse_unix_time(value);
      if (!timestamp) return SignatureVerdict::malformed;
      timestamp_text = value;
    } else if (key == "v1") {
      v1_values.push_back(value);
    }
    // v0 and any other vN are decoys (docs/protocols/teamtailor.md, "Webhook signature"):
    // ignored on purpose.
  }
  if (!timestamp) return SignatureVerdict::malformed;
  if (v1_values.empty()) return SignatureVerdict::no_v1;

  std::string message;
  message.reserve(timestamp_text.size() + 1 + event_id.size());
  message.append(timestamp_text).append(".").append(event_id);
  const Sha256Digest expected = hmac_sha256(webhook_secret, message);

  bool matched = false;
  for (std::string_view candidate : v1_values) {
    auto bytes = from_hex(candidate);
    // Every entry is checked, so the time taken does not reveal which one matched.
    if (bytes && equal_constant_time(*bytes, as_view(expected))) matched = true;
  }
  if (!matched) return SignatureVerdict::mismatch;

  // In seconds: up to 18 digits are read, and past the year 2262 a time in the clock's own
  // nanoseconds would overflow (and could wrap around to now).
  const std::chrono::seconds signed_at{*timestamp};
  const auto at = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch());
  const auto skew = at > signed_at ? at - signed_at : signed_at - at;
  if (skew > tolerance) return SignatureVerdict::stale;
  return SignatureVerdict::valid;
}

const char* describe(SignatureVerdict verdict) {
  switch (verdict) {
    case SignatureVerdict::valid:
      return "signature valid";
    case SignatureVerdict::missing:
      return "missing Teamtailor-Signature header";
    case SignatureVerdict::malformed:
      return "malformed Teamtailor-Signature header (expected t=<unix time>,v1=<hex>)";
    case SignatureVerdict::no_v1:
      return "Teamtailor-Signature has no v1 entry";
    case SignatureVerdict::mismatch:
      return "Teamtailor-Signature does not match (check the webhook secret)";
    case SignatureVerdict::stale:
      return "Teamtailor-Signature timestamp is outside the accepted window (check the clock)";
  }
  return "invalid Teamtailor-Signature";
}

std::string sign_header(std::string_view webhook_secret, std::int64_t t,
                        std::string_view event_id) {
  const std::string ts = std::to_string(t);
  const std::string v1 =
      to_hex(as_view(hmac_sha256(webhook_secret, ts + "." + std::string(event_id))));
  // The decoy looks like a real digest, as Teamtailor's does, so a parser cannot tell by shape.
  const std::string v0 = to_hex(as_view(hmac_sha256("decoy", ts + "." + std::string(event_id))));
  return "t=" + ts + ",v1=" + v1 + ",v0=" + v0;
}

std::string body_digest(std::string_view body) {
  return to_hex(as_view(sha256(body)));
}

}  // namespace ttb::teamtailor
