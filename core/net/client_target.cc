#include "net/client_target.h"

#include <algorithm>
#include <cctype>

#include <boost/asio/ip/address.hpp>

namespace ttb::net {
namespace {

// Bytes a request line cannot carry as they are (RFC 3986 allows none of them in a path or a
// query): controls, space, non-ASCII and the delimiters no URL holds unencoded. The rest is sent
// as the caller wrote it, percent-escapes included.
std::string encoded(std::string_view part) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(part.size());
  for (const char c : part) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f ||
        std::string_view("\"<>\\^`{|}").find(c) != std::string_view::npos) {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

// Whether every byte of `text` is an ASCII letter, a digit or one of `punctuation`.
bool made_of(std::string_view text, std::string_view punctuation) {
  for (const char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 &&
        punctuation.find(c) == std::string_view::npos)
      return false;
  }
  return true;
}

bool is_scheme(std::string_view s) {
  return !s.empty() && std::isalpha(static_cast<unsigned char>(s.front())) != 0 &&
         made_of(s, "+-.");
}

// A host name's bytes: letters, digits and what RFC 3986's reg-name allows besides (percent
// escapes included); nothing that would end a header or a request line.
bool is_host_name(std::string_view host) {
  return made_of(host, "-._~%!$&'()*+,;=");
}

// What an IPv6 address in brackets may hold: hex digits, ':' and '.' (an IPv4 tail), and a zone
// after '%'.
bool is_v6_text(std::string_view host) {
  return made_of(host, ":.%");
}

}  // namespace

std::optional<UrlParts> split_url(std::string_view url, std::string& error) {
  const std::size_t colon = url.find(':');
  if (colon == std::string_view::npos || !is_scheme(url.substr(0, colon))) {
    error = "invalid URL: no scheme (such as https://)";
    return std::nullopt;
  }
  UrlParts parts;
  for (const char c : url.substr(0, colon))
    parts.scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view rest = url.substr(colon + 1);
  if (rest.substr(0, 2) != "//") {
    error = "invalid URL: no \"//\" after the scheme";
    return std::nullopt;
  }
  rest.remove_prefix(2);
  const std::size_t authority_end = std::min(rest.find_first_of("/?#"), rest.size());
  std::string_view authority = rest.substr(0, authority_end);
  rest.remove_prefix(authority_end);
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos)
    authority.remove_prefix(at + 1);

  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    boost::system::error_code not_v6;
    // Its bytes checked first: the address parser reads up to a NUL and would pass "::\0junk".
    if (close != std::string_view::npos && is_v6_text(authority.substr(1, close - 1)))
      boost::asio::ip::make_address_v6(std::string(authority.substr(1, close - 1)), not_v6);
    else
      not_v6 = boost::asio::error::invalid_argument;
    if (not_v6) {
      error = "invalid URL: the host is not a [bracketed] IPv6 address";
      return std::nullopt;
    }
    parts.host = authority.substr(1, close - 1);
    authority.remove_prefix(close + 1);
    if (!authority.empty() && authority.front() != ':') {
      error = "invalid URL: unexpected text after the IPv6 address";
      return std::nullopt;
    }
    if (!authority.empty()) port = authority.substr(1);
  } else {
    const std::size_t port_colon = authority.find(':');
    parts.host = authority.substr(0, port_colon);
    if (port_colon != std::string_view::npos) port = authority.substr(port_colon + 1);
    if (!is_host_name(parts.host)) {
      error = "invalid URL: the host holds characters no host name has";
      return std::nullopt;
    }
  }
  // DNS's limit, and an IPv6 address's zone's too; the Host header's own (64 KiB in Beast, which
  // throws past it) is far above.
  if (parts.host.size() > 253) {
    error = "invalid URL: the host is longer than 253 bytes";
    return std::nullopt;
  }
  if (!port.empty()) {
    unsigned value = 0;
    for (const char c : port) {
      value = std::isdigit(static_cast<unsigned char>(c)) != 0 && value <= 65535
                  ? value * 10 + static_cast<unsigned>(c - '0')
                  : 65536;
    }
    if (value == 0 || value > 65535) {
      error = "invalid URL: the port is not 1 to 65535";
      return std::nullopt;
    }
    parts.port = static_cast<std::uint16_t>(value);
  }
  const std::size_t fragment = std::min(rest.find('#'), rest.size());
  rest = rest.substr(0, fragment);
  const std::size_t query = rest.find('?');
  parts.path = encoded(rest.substr(0, query));
  if (query != std::string_view::npos) parts.query = encoded(rest.substr(query + 1));
  return parts;
}

std::string bracketed(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

std::optional<ClientTarget> client_target(const std::string& url, std::string& error) {
  std::optional<UrlParts> parts = split_url(url, error);
  if (!parts) return std::nullopt;
  if (parts->scheme != "http" && parts->scheme != "https") {
    error = "unsupported URL scheme '" + parts->scheme + "'";
    return std::nullopt;
  }
  if (parts->host.empty()) {
    error = "URL has no host";
    return std::nullopt;
  }
  ClientTarget t;
  t.tls = parts->scheme == "https";
  t.host = std::move(parts->host);
  boost::system::error_code not_an_address;
  boost::asio::ip::make_address(t.host, not_an_address);
  t.host_is_address = !not_an_address;
  t.port = parts->port.value_or(t.tls ? 443 : 80);
  t.path_etc = std::move(parts->path);
  if (t.path_etc.empty()) t.path_etc.push_back('/');  // not `= "/"`: GCC bug 105329, -Wrestrict
  if (!parts->query.empty()) {
    t.path_etc += '?';
    t.path_etc += parts->query;
  }
  const std::string host = bracketed(t.host);
  const std::string port = std::to_string(t.port);
  t.host_header = t.port == (t.tls ? 443 : 80) ? host : host + ":" + port;
  t.pool_key = parts->scheme + "://" + host + ":" + port;
  return t;
}

std::string unsendable_headers(const Headers& headers) {
  // Beast keeps a field's name (plus ": ") and its value in 16 bits each.
  constexpr std::size_t kMaxPart = 65535 - 2;
  constexpr std::string_view kLineBreaking{"\r\n\0", 3};
  for (const auto& [name, value] : headers) {
    const auto shown = [&name = name] { return name.substr(0, 40); };
    if (name.empty()) return "a request header has no name";
    if (name.size() > kMaxPart || value.size() > kMaxPart)
      return "request header '" + shown() + "' is too long (at most " + std::to_string(kMaxPart) +
             " bytes each for name and value)";
    if (name.find_first_of(kLineBreaking) != std::string::npos ||
        name.find(':') != std::string::npos)
      return "request header name '" + shown() + "' holds ':', CR, LF or NUL";
    if (value.find_first_of(kLineBreaking) != std::string::npos)
      return "request header '" + shown() + "' holds CR, LF or NUL in its value";
  }
  return {};
}

std::string unsendable_method(std::string_view method) {
  constexpr std::size_t kMaxMethod = 32;
  if (method.empty()) return "the request has no method";
  if (method.size() > kMaxMethod)
    return "request method is longer than " + std::to_string(kMaxMethod) + " bytes";
  if (!is_token(method))
    return "request method holds a byte no method has (only letters, digits and "
           "!#$%&'*+-.^_`|~)";
  return {};
}

}  // namespace ttb::net
