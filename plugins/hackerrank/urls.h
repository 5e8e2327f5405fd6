#pragma once
// URL pieces for HackerRank's REST API: path segments from vendor ids and the origin check that
// keeps the API key from being sent anywhere but the configured base_url.

#include <optional>
#include <string>
#include <string_view>

namespace hackerrank {

// Percent-encodes everything but RFC 3986 unreserved characters, so an id can never add a path
// segment or a query to the URL it is put into.
std::string encode_segment(std::string_view segment);

// "scheme://host[:port]" of an absolute URL (lower-cased scheme and host); nullopt otherwise.
std::optional<std::string> origin_of(std::string_view url);

// Resolves a paging link from HackerRank against base_url. Absolute links must have the same
// origin as base_url (following a link elsewhere would hand our API key to that host); links
// starting with '/' are taken relative to base_url's origin. nullopt for anything else.
std::optional<std::string> resolve_link(std::string_view link, std::string_view base_url);

}  // namespace hackerrank
