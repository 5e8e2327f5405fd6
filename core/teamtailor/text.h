#pragma once
// Small string pieces shared by the protocol parsers of core/teamtailor (internal).

#include <string>
#include <string_view>
#include <vector>

namespace ttb::teamtailor {

std::string_view trim(std::string_view text);  // spaces and tabs at both ends
std::vector<std::string_view> split(std::string_view text, char separator);
bool starts_with_icase(std::string_view text, std::string_view prefix);
// An absolute http:// or https:// URL with a host and no spaces or control characters.
bool is_http_url(std::string_view url);
// Percent-encodes everything but RFC 3986 unreserved characters, for one path segment.
std::string escape_path_segment(std::string_view segment);
// Every occurrence of `secret` in `text` replaced by "[redacted]"; a server that echoes the
// Authorization header back must not get the key into our logs.
std::string redact(std::string text, std::string_view secret);
// True when the JSON text nests objects/arrays deeper than `max_depth` (strings are skipped).
// Checked before parsing so a hostile body cannot make the parser or its destructor recurse.
bool json_text_too_deep(std::string_view text, std::size_t max_depth);

}  // namespace ttb::teamtailor
