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

}  // namespace ttb::teamtailor
