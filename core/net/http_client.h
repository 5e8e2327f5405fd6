#pragma once
// Outbound HTTP for the engine and for plugins (plugins send HTTP through the host, see
// docs/plugin-abi.md): one place owns TLS verification, timeouts, connection reuse, response size
// limits and redaction.

#include <chrono>
#include <functional>
#include <memory>

#include "net/http_types.h"

namespace ttb::net {

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Sends one request and blocks until the answer, a transport error or the timeout, which bounds
  // the exchange from the TCP connection on, the TLS handshake included (a server trickling its
  // handshake or its answer is cut off too; the connect itself waits at most the timeout). Never
  // throws; transport failures come back with status 0 and `error` set. Thread-safe.
  virtual ClientResponse send(const ClientRequest& request) = 0;

  // A client that holds no thread while a request is out (a plugin child's, which hands each
  // request to the daemon) says so here; callers then use send_async instead of running send()
  // on a thread pool of their own, and save a thread's wake-up at each end of every request.
  virtual bool sends_async() const { return false; }
  // Calls `done` once with what send() would return: from the client's own thread, or from the
  // caller's when the request fails at once. The default blocks in send() on the caller's.
  virtual void send_async(ClientRequest request, std::function<void(ClientResponse)> done);
};

struct HttpClientOptions {
  std::size_t max_idle_per_host = 16;  // kept-alive sessions per scheme://host:port
  // Kept-alive sessions in all: a plugin may ask any number of hosts, each once, and a pool per
  // host would keep a socket for each until the client ends. When full, the host given one back
  // longest ago loses its oldest.
  std::size_t max_idle_total = 256;
  // How long a kept-alive connection may wait for its next request. Below the idle timeouts of
  // common servers (5 s for Apache's and Node's), so that a request is not written to a
  // connection its server is closing at that moment; older ones are closed and a new one opened.
  std::chrono::milliseconds max_idle_time{4000};
  bool verify_tls = true;  // certificate and host name checks for https://
  std::string ca_file;     // empty: the system's trust store
};

// The production client for blocking callers, on Boost.Beast over blocking sockets (HTTP and
// HTTPS, OpenSSL): the caller's thread does the exchange, with no hand-over to another.
std::unique_ptr<HttpClient> make_http_client(const HttpClientOptions& options = {});

// For logs: the request line with credentials removed (Authorization and api-key style headers
// are never printed; userinfo in the URL is dropped).
std::string redact_url(const std::string& url);

}  // namespace ttb::net
