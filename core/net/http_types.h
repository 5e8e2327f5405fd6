#pragma once
// Plain HTTP request and response values shared by the inbound server, the router and the
// outbound clients. No Beast types leak out of core/net, so routes and tests use only these.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ttb::net {

// Header names compare case-insensitively (RFC 9110); values keep their bytes.
using Header = std::pair<std::string, std::string>;
using Headers = std::vector<Header>;

std::optional<std::string> find_header(const Headers& headers, std::string_view name);
bool iequals(std::string_view a, std::string_view b);
// RFC 9110, 5.6.2: one or more tchar (letters, digits and !#$%&'*+-.^_`|~), what a method or a
// header name must be.
bool is_token(std::string_view text);

struct Request {
  std::string method;                        // "GET", "POST", ...
  std::string path;                          // decoded path, without the query
  std::map<std::string, std::string> query;  // decoded query parameters (last one wins)
  Headers headers;
  std::string body;                           // raw bytes, already bounded by the server
  std::string remote;                         // "127.0.0.1:53422"
  std::string request_id;                     // assigned by the server, echoed as X-Request-Id
  std::map<std::string, std::string> params;  // route parameters, e.g. {"tenant": "acme"}
  // When the request's first byte arrived: the start of its latency, before any wait for a
  // worker thread.
  std::chrono::steady_clock::time_point received_at{};

  std::optional<std::string> header(std::string_view name) const {
    return find_header(headers, name);
  }
};

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  Headers headers;

  static Response text(int status, std::string body);
  static Response json(int status, std::string body);
};

// An outbound request made by the engine (to Teamtailor) or on behalf of a plugin (to a vendor).
struct ClientRequest {
  std::string method = "GET";
  std::string url;  // absolute http:// or https:// URL
  Headers headers;
  std::string body;
  std::chrono::milliseconds timeout{10000};
  std::size_t max_response_bytes = std::size_t{8} * 1024 * 1024;
};

struct ClientResponse {
  int status = 0;  // 0 when no HTTP answer arrived; see error
  Headers headers;
  std::string body;
  std::string error;  // transport failure ("timeout", "connection refused", ...), else empty

  bool transport_failed() const { return status == 0; }
  std::optional<std::string> header(std::string_view name) const {
    return find_header(headers, name);
  }
};

}  // namespace ttb::net
