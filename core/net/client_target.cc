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

}  // namespace ttb::net
