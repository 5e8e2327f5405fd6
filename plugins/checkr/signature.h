#pragma once
// Verifies Checkr's webhook signature: X-Checkr-Signature is the lowercase hex HMAC-SHA256 of the
// raw request body keyed with the account's secret API key. No timestamp is signed, so replays
// are handled by the host deduplicating on the event id.

#include <optional>
#include <string_view>

namespace ttb::checkr {

// True only when `signature_header` is present and equals the HMAC of `raw_body` (constant-time;
// hex case is ignored). Checkr sends a fixed placeholder sentence to accounts without a key,
// which never matches.
bool signature_is_valid(std::string_view key, std::string_view raw_body,
                        std::optional<std::string_view> signature_header);

}  // namespace ttb::checkr
