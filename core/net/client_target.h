#pragma once
// Where an outbound request goes, read from its absolute URL: one set of checks and error
// messages for both clients (http_client.cc, async_http_client.cc).

#include <cstdint>
#include <optional>
#include <string>

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

// nullopt with `error` set for a URL that is not absolute http(s) with a host.
std::optional<ClientTarget> client_target(const std::string& url, std::string& error);

}  // namespace ttb::net
