#pragma once
// Outbound HTTP for the engine and for plugins (plugins send HTTP through the host, see
// docs/plugin-abi.md): one place owns TLS verification, timeouts, connection reuse, response size
// limits and redaction.

#include <memory>

#include "net/http_types.h"

namespace ttb::net {

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Sends one request and blocks until the answer, a transport error or the timeout. Never
  // throws; transport failures come back with status 0 and `error` set. Thread-safe.
  virtual ClientResponse send(const ClientRequest& request) = 0;
};

struct HttpClientOptions {
  std::size_t max_idle_per_host = 16;  // kept-alive sessions per scheme://host:port
  bool verify_tls = true;              // certificate and host name checks for https://
  std::string ca_file;                 // empty: the system's trust store
};

// The production client, on Poco::Net (HTTP and HTTPS).
std::unique_ptr<HttpClient> make_http_client(const HttpClientOptions& options = {});

// For logs: the request line with credentials removed (Authorization and api-key style headers
// are never printed; userinfo in the URL is dropped).
std::string redact_url(const std::string& url);

}  // namespace ttb::net
