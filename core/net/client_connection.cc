#include "net/client_connection.h"

#include <openssl/ssl.h>
#include <poll.h>

#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/http/error.hpp>

#include "net/tls_trust.h"

namespace ttb::net {
namespace {

namespace http = boost::beast::http;

// Vendors' answers carry cookies and tracing headers; Beast's default (8 KiB) is too tight.
constexpr std::uint32_t kResponseHeaderLimit = 64 * 1024;

}  // namespace

void ClientConnection::close() {
  boost::system::error_code ignored;
  socket().close(ignored);
}

bool ClientConnection::still_usable() {
  if (!socket().is_open() || buffer.size() != 0) return false;
  if (tls) {
    SSL* ssl = tls->native_handle();
    if (SSL_pending(ssl) > 0 || BIO_ctrl_pending(SSL_get_rbio(ssl)) > 0) return false;
  }
  pollfd idle{};
  idle.fd = socket().native_handle();
  idle.events = POLLIN | POLLRDHUP;  // POLLERR and POLLHUP are always reported
  return ::poll(&idle, 1, 0) == 0;
}

void configure_client_tls(boost::asio::ssl::context& tls, const HttpClientOptions& options) {
  SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_2_VERSION);
  if (options.verify_tls) {
    trust_certificates(tls.native_handle(), options.ca_file);
    tls.set_verify_mode(boost::asio::ssl::verify_peer);
  } else {
    tls.set_verify_mode(boost::asio::ssl::verify_none);
  }
}

std::unique_ptr<ClientConnection> new_connection(boost::asio::io_context& io,
                                                 boost::asio::ssl::context& tls,
                                                 const ClientTarget& target, bool verify) {
  auto connection = std::make_unique<ClientConnection>();
  if (!target.tls) {
    connection->plain.emplace(io);
    return connection;
  }
  auto& stream = connection->tls.emplace(io, tls);
  // An address is not a name: no SNI, and the certificate is checked against the address.
  if (!target.host_is_address)
    SSL_set_tlsext_host_name(stream.native_handle(), target.host.c_str());
  if (verify) stream.set_verify_callback(boost::asio::ssl::host_name_verification(target.host));
  return connection;
}

void limit_response(ResponseParser& parser, http::verb method, std::size_t max_response_bytes) {
  parser.header_limit(kResponseHeaderLimit);
  parser.body_limit(max_response_bytes);
  if (method == http::verb::head) parser.skip(true);
}

bool is_interim(const ResponseParser& parser) {
  const unsigned status = parser.get().result_int();
  return parser.is_header_done() && status / 100 == 1 && status != 101;
}

ClientResponse exchange_answer(const boost::system::error_code& ec, ResponseParser& parser,
                               std::size_t max_response_bytes, bool& reusable) {
  reusable = false;
  ClientResponse response;
  if (ec == http::error::body_limit) {
    response.error = "response exceeds " + std::to_string(max_response_bytes) + " bytes";
  } else if (ec == http::error::partial_message || ec == http::error::end_of_stream) {
    response.error = "connection closed before the whole response";
  } else if (ec) {
    response.error = ec.message();
  } else {
    http::response<http::string_body> in = parser.release();
    response.status = static_cast<int>(in.result_int());
    for (const auto& field : in) {
      response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    response.body = std::move(in.body());
    reusable = in.keep_alive();
  }
  return response;
}

}  // namespace ttb::net
