#pragma once
// How strong an activation token is (docs/configuration.md, "Activation tokens"). The token names
// a tenant to anyone who presents it, so a guessable one is refused when the files are loaded.

#include <optional>
#include <string_view>

namespace ttb::config {

// A token must carry at least this many bits: 32 hex digits or 22 base64url characters.
inline constexpr int kMinTokenBits = 128;

// The bits a token can carry, read from its encoding; nullopt when it is in none of them:
//  - hex: the digits 0-9 and a-f (either case), with '-' allowed between them as in a UUID;
//    4 bits per digit, the dashes count nothing;
//  - base64url: A-Z, a-z, 0-9, '-' and '_', with optional '=' padding at the end; 6 bits per
//    character, the padding counts nothing.
// A token that is both (only hex digits) is read as hex, the smaller count. This measures how
// much a random token of that length holds, not whether it was drawn at random: "aaaa…" passes.
std::optional<int> token_bits(std::string_view token);

}  // namespace ttb::config
