#include "net/client_target.h"

#include <boost/asio/ip/address.hpp>

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace ttb::net {

std::optional<ClientTarget> client_target(const std::string& url, std::string& error) {
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::Exception& e) {
    error = "invalid URL: " + e.message();
    return std::nullopt;
  }
  const std::string& scheme = uri.getScheme();
  if (scheme != "http" && scheme != "https") {
    error = "unsupported URL scheme '" + scheme + "'";
    return std::nullopt;
  }
  if (uri.getHost().empty()) {
    error = "URL has no host";
    return std::nullopt;
  }
  ClientTarget t;
  t.tls = scheme == "https";
  t.host = uri.getHost();
  boost::system::error_code not_an_address;
  boost::asio::ip::make_address(t.host, not_an_address);
  t.host_is_address = !not_an_address;
  t.port = uri.getPort();
  t.path_etc = uri.getPathEtc();
  if (t.path_etc.empty()) t.path_etc.push_back('/');  // not `= "/"`: GCC bug 105329, -Wrestrict
  const std::string bracketed = t.host.find(':') != std::string::npos ? "[" + t.host + "]" : t.host;
  const std::string port = std::to_string(t.port);
  t.host_header = t.port == (t.tls ? 443 : 80) ? bracketed : bracketed + ":" + port;
  t.pool_key = scheme + "://" + bracketed + ":" + port;
  return t;
}

}  // namespace ttb::net
