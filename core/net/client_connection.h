#pragma once
// One outbound HTTP/1.1 connection and what both clients do alike on it (http_client.cc blocks on
// it; async_http_client.cc runs it on its I/O thread): the TLS settings, the request as it goes
// out, the limits its answer is read under, and what a finished exchange answers. Internal to
// net/.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "net/client_target.h"
#include "net/http_client.h"

namespace ttb::net {

using ResponseParser = boost::beast::http::response_parser<boost::beast::http::string_body>;

// One kept-alive connection: a plain socket, or a TLS stream that owns its socket.
struct ClientConnection {
  std::optional<boost::asio::ip::tcp::socket> plain;
  std::optional<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>> tls;
  boost::beast::flat_buffer buffer;  // bytes read past a response stay here (and bar reuse)

  boost::asio::ip::tcp::socket& socket() { return tls ? tls->next_layer() : *plain; }
  template <class F>
  void with_stream(F&& f) {
    if (tls)
      f(*tls);
    else
      f(*plain);
  }
  void close();
  // An idle kept-alive connection has nothing to read; if it has, the server closed it (or sent
  // junk) while it sat in the pool, and a request written to it would fail or read that junk as
  // its answer. Over TLS, bytes may wait inside OpenSSL too, where poll(2) does not see them.
  bool still_usable();
};

// TLS 1.2 at least; the trust store (net/tls_trust.h) and peer verification unless
// `options.verify_tls` is off. Throws std::runtime_error when the trust store cannot be loaded.
void configure_client_tls(boost::asio::ssl::context& tls, const HttpClientOptions& options);

// A connection to `target`, not yet connected: for https://, a TLS stream that sends the host's
// name (SNI) and, when `verify` is set, checks the certificate is for it.
std::unique_ptr<ClientConnection> new_connection(boost::asio::io_context& io,
                                                 boost::asio::ssl::context& tls,
                                                 const ClientTarget& target, bool verify);

// The request line and headers of `request` into `out`, and its Content-Length when it has a
// body (or is a POST, PUT or PATCH). The caller sets the body itself.
template <class Body>
void set_request_head(boost::beast::http::request<Body>& out, const ClientTarget& target,
                      const ClientRequest& request) {
  namespace http = boost::beast::http;
  const http::verb verb = http::string_to_verb(request.method);
  if (verb == http::verb::unknown)
    out.method_string(request.method);
  else
    out.method(verb);
  out.target(target.path_etc);
  out.version(11);
  out.set(http::field::host, target.host_header);
  for (const auto& [name, value] : request.headers) out.set(name, value);
  if (!request.body.empty() || verb == http::verb::post || verb == http::verb::put ||
      verb == http::verb::patch) {
    out.content_length(request.body.size());
  }
}

// Readies `parser` for the answer to a `method` request, within `max_response_bytes`. Read the
// head first (read_header), then the rest: Beast (1.74) checks a Content-Length against the body
// limit only when it stops after the head.
void limit_response(ResponseParser& parser, boost::beast::http::verb method,
                    std::size_t max_response_bytes);

// Whether the head `parser` read is an interim answer (1xx but 101: 100 Continue, 103 Early
// Hints), which the final one follows on the same connection. A client takes one it did not ask
// for (RFC 9110, 15.2): read the next head with a fresh parser, the connection's buffer kept.
bool is_interim(const ResponseParser& parser);

// What an exchange that ended with `ec` answers; `reusable` says whether its connection may serve
// another request (a whole answer that did not ask to close it).
ClientResponse exchange_answer(const boost::system::error_code& ec, ResponseParser& parser,
                               std::size_t max_response_bytes, bool& reusable);

}  // namespace ttb::net
