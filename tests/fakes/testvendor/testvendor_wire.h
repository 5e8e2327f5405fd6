#pragma once
// The test vendor's wire contract, shared by its plugin and its fake: the callback signature
// header and how it is computed. Header-only, on the SDK's HMAC, so the plugin needs nothing else.

#include <string>
#include <string_view>

#include "ttbridge/hmac_sha256.hpp"

namespace ttb::testvendor {

// POST {callback_url} carries `X-Testvendor-Signature: sha256=<hex HMAC-SHA256(secret, body)>`.
inline constexpr const char* kSignatureHeader = "X-Testvendor-Signature";

inline std::string sign_body(std::string_view secret, std::string_view body) {
  return "sha256=" + ttb::sdk::hmac_sha256_hex(secret, body);
}

}  // namespace ttb::testvendor
