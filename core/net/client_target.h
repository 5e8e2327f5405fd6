#pragma once
// Where an outbound request goes, read from its absolute URL, and whether its headers can be
// sent: one set of checks and error messages for both clients (http_client.cc,
// async_http_client.cc).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "net/http_types.h"

namespace ttb::net {

struct ClientTarget {
  bool tls = false;              // https://
  std::string host;              // without brackets
  bool host_is_address = false;  // an IP address: no lookup, no SNI
  std::uint16_t port = 0;        // the scheme's default when the URL has none
  std::string path_etc;          // the request line's target: path, query, fragment; "/" at least
  std::string host_header;       // host ([v6] bracketed), with :port unless the scheme's default
  std::string pool_key;          // scheme://host:port: kept-alive connections are pooled by it
};

// An absolute URL split as RFC 3986 reads it: scheme://[userinfo@]host[:port][/path][?query]
// [#fragment]. The userinfo and the fragment are dropped: neither is ever sent.
struct UrlParts {
  std::string scheme;  // lower case
  std::string host;    // without brackets; may be empty ("file:///x")
  std::optional<std::uint16_t> port;
  std::string path;   // as given, with the bytes a request line cannot hold %-encoded
  std::string query;  // the same, without its '?'
};

// nullopt with `error` set for a string that is not an absolute URL: no scheme, no "//", an
// unclosed or invalid [IPv6] host, a host name longer than DNS allows (253 bytes) or with bytes
// no host name has, a port that is not 1 to 65535.
std::optional<UrlParts> split_url(std::string_view url, std::string& error);

// `host` as a URL or a Host header writes it: an IPv6 address in brackets, anything else as it is.
std::string bracketed(const std::string& host);

// nullopt with `error` set for a URL that is not absolute http(s) with a host.
std::optional<ClientTarget> client_target(const std::string& url, std::string& error);

// Empty when every header can be sent as it is, else why not. A plugin chooses its headers, so
// they are checked: a name or value Beast cannot hold (each at most 65,533 bytes; it throws on
// the I/O thread past that, which ends the daemon), and CR, LF or NUL, which would end the
// header early and smuggle another header or request to the vendor.
std::string unsendable_headers(const Headers& headers);

// Empty when `method` can open a request line, else why not: an RFC 9110 token (letters, digits
// and !#$%&'*+-.^_`|~), at most 32 bytes. A plugin chooses its method too, and a space or a line
// break in it would write another request of its choosing.
std::string unsendable_method(std::string_view method);

}  // namespace ttb::net
