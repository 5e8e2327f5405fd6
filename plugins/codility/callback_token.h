#pragma once
// The per-order callback credential. Codility signs nothing and sends no header we choose: it
// POSTs to the URL we gave in the invite's `event_callbacks`. So that URL carries a secret of
// its own order, HMAC-SHA256(key, order id), and a callback proves itself by presenting the
// token of the order it names. The token is derived, not random, so a retried invite registers
// the same URL, and the host needs to keep nothing for it.
//
// Path: /callbacks/{tenant}/{provider}/results/{order id}/{token}. Not the host's
// `orders/{order id}` route: the host looks the order up by everything after `orders/`, and it
// hands plugins no query string, so the token could not travel there.

#include <optional>
#include <string>
#include <string_view>

#include "config.h"

namespace ttb::codility {

inline constexpr std::string_view kCallbackPathPrefix = "results/";

// The HMAC key: config.callback_secret, or else one derived from api_token (HMAC-SHA256 under a
// fixed label, so the token itself never keys anything directly).
std::string callback_key(const Config& config);

// 64 lowercase hex characters: HMAC-SHA256(key, "codility-callback:" + order_id).
std::string callback_token(std::string_view key, std::string_view order_id);

// The URL to register with Codility, from the host's callback_url for this order
// (".../callbacks/{tenant}/{provider}/orders/{order id}"): ".../results/{order id}/{token}".
// Throws sdk::Error(TTB_STATUS_INVALID) when `host_callback_url` has no "/orders/{id}" tail.
std::string callback_url_for(std::string_view host_callback_url, std::string_view token);

struct CallbackPath {
  std::string order_id;
  std::string token;
};

// Reads "results/{order id}/{token}" (the host passes the path decoded); nullopt otherwise.
std::optional<CallbackPath> parse_callback_path(std::string_view path);

// True when `given` is the token of `order_id`, compared in constant time
// (sdk::constant_time_equals). An empty key or order id never matches.
bool token_matches(std::string_view key, std::string_view order_id, std::string_view given);

}  // namespace ttb::codility
