#pragma once
// Small encodings the Checkr fake needs to read requests as Checkr would: Basic credentials,
// form-encoded bodies, ISO timestamps.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ttb::fakes::checkr {

std::optional<std::string> base64_decode(std::string_view in);
// The user name of an "Authorization: Basic ..." value; nullopt when it is not Basic.
std::optional<std::string> basic_user(std::string_view authorization);
// application/x-www-form-urlencoded → name → value (last wins; '+' is a space).
std::map<std::string, std::string> parse_form(std::string_view body);
// "2025-03-01T10:00:00Z" for ms since the epoch (UTC, whole seconds).
std::string iso_time(std::int64_t epoch_ms);

}  // namespace ttb::fakes::checkr
