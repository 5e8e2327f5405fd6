#pragma once
// URL pieces every vendor plugin needs: vendor ids put into a path as one segment, and the
// origin check that keeps a credential on the configured base_url when following a paging link.
// Header-only, standard library only.

#include <cctype>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ttb::sdk {

// True for "http://" or "https://" followed by something (a host, one hopes): the check for a
// configured base_url or a link from a vendor's answer before it is used or shown.
inline bool is_http_url(std::string_view s) noexcept {
  constexpr std::string_view kHttps = "https://";
  constexpr std::string_view kHttp = "http://";
  return (s.substr(0, kHttps.size()) == kHttps && s.size() > kHttps.size()) ||
         (s.substr(0, kHttp.size()) == kHttp && s.size() > kHttp.size());
}

// Percent-encodes everything but RFC 3986 unreserved characters, so an id can never add a path
// segment or a query to the URL it is put into:
//   url = base_url + "/tests/" + ttb::sdk::encode_segment(test_id) + "/candidates";
inline std::string encode_segment(std::string_view segment) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(segment.size());
  for (const unsigned char c : segment) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0f]);
    }
  }
  // "." and ".." are unreserved but would still walk the path.
  if (out == ".") return "%2E";
  if (out == "..") return "%2E%2E";
  return out;
}

// "scheme://host[:port]" of an absolute http(s) URL, lower-cased, without the scheme's default
// port; nullopt for anything else (another scheme, no host, user info in the authority).
inline std::optional<std::string> origin_of(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  std::string scheme(url.substr(0, scheme_end));
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "http" && scheme != "https") return std::nullopt;
  const std::size_t host_start = scheme_end + 3;
  const std::size_t host_end = url.find_first_of("/?#", host_start);
  std::string authority(url.substr(host_start, host_end == std::string_view::npos
                                                   ? std::string_view::npos
                                                   : host_end - host_start));
  if (authority.empty() || authority.find('@') != std::string::npos) return std::nullopt;
  for (char& c : authority) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // The default port is the same origin as no port. (No ends_with: the SDK stays C++17.)
  const std::string_view default_port = scheme == "https" ? ":443" : ":80";
  if (authority.size() > default_port.size() &&
      std::string_view(authority).substr(authority.size() - default_port.size()) == default_port)
    authority.resize(authority.size() - default_port.size());
  return scheme + "://" + authority;
}

// Resolves a link from a vendor's answer (a `next` page) against base_url. Absolute links must
// have base_url's origin (following a link elsewhere would hand the API key to that host); links
// starting with one '/' are taken on base_url's origin. nullopt for anything else, and for a
// link with spaces or control characters.
inline std::optional<std::string> resolve_link(std::string_view link, std::string_view base_url) {
  auto base_origin = origin_of(base_url);
  if (!base_origin || link.empty()) return std::nullopt;
  for (const unsigned char c : link)
    if (c <= 0x20 || c == 0x7f) return std::nullopt;  // no header or request-line smuggling
  if (link.front() == '/') {
    if (link.size() > 1 && link[1] == '/') return std::nullopt;  // "//host/...": another origin
    return *base_origin + std::string(link);
  }
  auto link_origin = origin_of(link);
  if (!link_origin || *link_origin != *base_origin) return std::nullopt;
  return std::string(link);
}

}  // namespace ttb::sdk
