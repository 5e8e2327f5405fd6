#pragma once
// The per-order webhook credential. HackerRank signs nothing: it presents back the credential we
// gave it in the invite (`webhook_authentication`), so each order gets its own random bearer
// token and a callback proves itself by presenting that exact token.

#include <string>
#include <string_view>

#include "ttbridge/plugin.hpp"

namespace ttb::hackerrank {

inline constexpr std::size_t kTokenBytes = 32;

// 32 bytes from the kernel CSPRNG (getrandom), as 64 lowercase hex characters. Throws
// sdk::Error(TTB_STATUS_INTERNAL) if the kernel cannot supply randomness.
std::string new_webhook_token();

// True when the request carries `Authorization: Bearer <expected>`. The comparison
// (sdk::constant_time_equals) takes the same time wherever the first difference is, so the
// token cannot be guessed byte by byte. An empty `expected` never matches.
bool bearer_matches(const sdk::Headers& headers, std::string_view expected);

}  // namespace ttb::hackerrank
