#include "urls.h"

#include <cctype>

namespace hackerrank {

std::string encode_segment(std::string_view segment) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(segment.size());
  for (unsigned char c : segment) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0f]);
    }
  }
  // "." and ".." are unreserved but would still walk the path.
  if (out == "." || out == "..") return out == "." ? "%2E" : "%2E%2E";
  return out;
}

std::optional<std::string> origin_of(std::string_view url) {
  std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  std::string scheme(url.substr(0, scheme_end));
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "http" && scheme != "https") return std::nullopt;
  std::size_t host_start = scheme_end + 3;
  std::size_t host_end = url.find_first_of("/?#", host_start);
  std::string authority(url.substr(host_start, host_end == std::string_view::npos
                                                   ? std::string_view::npos
                                                   : host_end - host_start));
  if (authority.empty() || authority.find('@') != std::string::npos) return std::nullopt;
  for (char& c : authority) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // The default port is the same origin as no port.
  if (scheme == "https" && authority.size() > 4 && authority.ends_with(":443"))
    authority.resize(authority.size() - 4);
  if (scheme == "http" && authority.size() > 3 && authority.ends_with(":80"))
    authority.resize(authority.size() - 3);
  return scheme + "://" + authority;
}

std::optional<std::string> resolve_link(std::string_view link, std::string_view base_url) {
  auto base_origin = origin_of(base_url);
  if (!base_origin || link.empty()) return std::nullopt;
  for (unsigned char c : link)
    if (c <= 0x20 || c == 0x7f) return std::nullopt;  // no header or request-line smuggling
  if (link.front() == '/') {
    if (link.size() > 1 && link[1] == '/') return std::nullopt;  // "//host/...": another origin
    return *base_origin + std::string(link);
  }
  auto link_origin = origin_of(link);
  if (!link_origin || *link_origin != *base_origin) return std::nullopt;
  return std::string(link);
}

}  // namespace hackerrank
