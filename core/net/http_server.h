#pragma once
// The inbound HTTP server: Boost.Beast on a few Asio I/O threads that only accept, read, parse
// and write, and a bounded pool of worker threads that run the Router's handlers. It enforces the
// limits (body size, header count and size, deadlines, connection caps; docs/architecture.md,
// "Threads" and "Authentication and limits") before a handler runs, and can serve TLS itself.
//
// Threads: `io_threads` (default: one per core) serve any number of keep-alive connections, since
// none of them ever waits on a handler. `workers` (default 16, server.threads) run handlers:
// a plain handler blocks while the store commits (group commit, a few milliseconds) or a plugin
// answers (up to its call deadline), so a pool of that size keeps requests moving while some wait,
// and stays bounded so a flood cannot start a thread per request. An async handler
// (Router::add_async) never waits: it runs on the connection's I/O thread, hands its work on and
// answers later from any thread, so it needs no worker. Up to `max_queued` requests wait for a
// worker; past that the answer is 503 with Retry-After.

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
  std::size_t max_head_bytes = 65536;   // request line plus all fields; past it: 431
  // From a request's first byte until its head is complete.
  std::chrono::milliseconds header_timeout{5000};
  // From a request's first byte until its body is complete; writing the answer has as long again.
  std::chrono::milliseconds request_timeout{30000};
  // A keep-alive connection with no request started is closed after this.
  std::chrono::milliseconds idle_timeout{60000};
  std::size_t max_connections = 10000;        // 0: no cap
  std::size_t max_connections_per_ip = 1000;  // 0: no cap
  unsigned io_threads = 0;                    // 0: one per core
  unsigned threads = 16;                      // handler workers
  unsigned max_queued = 1024;                 // requests waiting for a worker
  // When set, the listener is a Unix socket at this path instead (host and port unused; no TLS):
  // created with mode 0660, a stale socket file there removed first, the file removed when the
  // server is destroyed. Every local client counts under the one address "unix".
  std::string unix_socket_path;
  // Both set: the listener speaks TLS only (PEM files: certificate chain, private key).
  std::string tls_cert_file;
  std::string tls_key_file;
};

// Called for each request as its answer is handed to the socket, with its route template
// ("unmatched" when none), status and duration until then (metrics, logs). Runs on an I/O thread:
// keep it quick.
using RequestObserver = std::function<void(const Request&, const std::string& route, int status,
                                           std::chrono::microseconds elapsed)>;

class HttpServer {
 public:
  virtual ~HttpServer() = default;
  virtual void start() = 0;
  // Stops accepting and closes idle connections, lets in-flight requests finish up to `grace`,
  // then closes the rest and returns once every running handler has returned.
  virtual void stop(std::chrono::milliseconds grace) = 0;
  virtual unsigned short port() const = 0;  // 0 on a Unix socket
};

// Throws std::runtime_error naming the address when the socket cannot be bound, or the file
// when the TLS certificate or key cannot be loaded.
std::unique_ptr<HttpServer> make_http_server(const ServerOptions& options,
                                             std::shared_ptr<const Router> router,
                                             RequestObserver observer);

}  // namespace ttb::net
