#pragma once
// The inbound HTTP server: a Poco HTTPServer on a bounded thread pool that turns each request
// into a net::Request, asks the Router, and writes back the net::Response. It enforces the limits
// (body size, header count and size, request time; docs/architecture.md, "Authentication and
// limits") before a handler runs.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "net/router.h"

namespace ttb::net {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;  // 0 picks a free port; see HttpServer::port()
  std::size_t max_body_bytes = 1 << 20;
  std::size_t max_header_count = 64;
  std::size_t max_header_bytes = 8192;  // one field, name plus value
  std::chrono::seconds read_timeout{15};
  unsigned threads = 16;
  unsigned max_queued = 1024;
};

// Called after each request with its route template, status and duration (metrics, logs).
using RequestObserver = std::function<void(const Request&, const std::string& route, int status,
                                           std::chrono::microseconds elapsed)>;

class HttpServer {
 public:
  virtual ~HttpServer() = default;
  virtual void start() = 0;
  // Stops accepting, lets in-flight requests finish up to `grace`, then returns.
  virtual void stop(std::chrono::milliseconds grace) = 0;
  virtual unsigned short port() const = 0;
};

// Throws std::runtime_error with the address when the socket cannot be bound.
std::unique_ptr<HttpServer> make_http_server(const ServerOptions& options,
                                             std::shared_ptr<const Router> router,
                                             RequestObserver observer);

}  // namespace ttb::net
