#include "net/http_client.h"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <mutex>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/span_body.hpp>
#include <boost/beast/http/write.hpp>

#include "net/client_connection.h"
#include "net/client_target.h"
#include "net/exchange_deadline.h"
#include "net/idle_pool.h"

namespace ttb::net {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = ExchangeDeadlines::Clock;

// Connects `socket` to the first of `endpoints` that takes it, before `deadline`. A blocking
// connect cannot be cut short (the deadline watch's shutdown does not end it, and Asio's own would
// wait for the kernel's minutes): non-blocking, then poll(2). Each address waits at most its
// share of the time left, so that one whose packets are dropped (an IPv6 address on a host
// without an IPv6 route, say) leaves time for the next.
void connect(tcp::socket& socket, const tcp::resolver::results_type& endpoints,
             const Clock::time_point deadline, boost::system::error_code& ec) {
  ec = asio::error::host_not_found;
  std::size_t left_to_try = endpoints.size();
  for (const auto& entry : endpoints) {
    const Clock::time_point given = Clock::now() + (deadline - Clock::now()) / left_to_try--;
    const tcp::endpoint& endpoint = entry.endpoint();
    socket.close(ec);
    socket.open(endpoint.protocol(), ec);
    if (!ec) socket.non_blocking(true, ec);
    if (ec) continue;
    if (::connect(socket.native_handle(), endpoint.data(), endpoint.size()) != 0) {
      if (errno != EINPROGRESS) {
        ec.assign(errno, boost::system::system_category());
        continue;
      }
      int ready = -1;
      do {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(given - Clock::now());
        pollfd connecting{socket.native_handle(), POLLOUT, 0};
        ready = left.count() > 0 ? ::poll(&connecting, 1, static_cast<int>(left.count())) : 0;
      } while (ready < 0 && errno == EINTR);
      if (ready == 0) {
        ec = asio::error::timed_out;
        if (Clock::now() >= deadline) return;
        continue;
      }
      int error = 0;
      socklen_t size = sizeof error;
      if (ready < 0)
        error = errno;
      else
        ::getsockopt(socket.native_handle(), SOL_SOCKET, SO_ERROR, &error, &size);
      if (error != 0) {
        ec.assign(error, boost::system::system_category());
        continue;
      }
    }
    socket.non_blocking(false, ec);
    if (!ec) socket.set_option(tcp::no_delay(true), ec);
    if (!ec) return;
  }
}

// Kept-alive connections, one pool per scheme://host:port. A connection is lent to one request
// at a time and returned only after a complete exchange whose answer did not ask to close it.
// Each request runs on its caller's thread, on a blocking socket; its one deadline is kept by
// ExchangeDeadlines, which shuts the socket down when it passes.
class BlockingHttpClient final : public HttpClient {
 public:
  explicit BlockingHttpClient(const HttpClientOptions& options)
      : options_(options), tls_(asio::ssl::context::tls_client) {
    configure_client_tls(tls_, options_);
  }

  ClientResponse send(const ClientRequest& request) override {
    ClientResponse failed;
    const std::optional<ClientTarget> target = client_target(request.url, failed.error);
    if (target) failed.error = unsendable_method(request.method);
    if (target && failed.error.empty()) failed.error = unsendable_headers(request.headers);
    if (!target || !failed.error.empty()) return failed;
    const auto timed_out = [&request] {
      ClientResponse out;
      out.error = "timeout after " + std::to_string(request.timeout.count()) + " ms";
      return out;
    };

    const Clock::time_point deadline = Clock::now() + request.timeout;
    boost::system::error_code ec;
    ExchangeDeadlines::Watch watch;
    std::unique_ptr<ClientConnection> connection = take(target->pool_key);
    const bool fresh = !connection;
    if (fresh) {
      connection = new_connection(io_, tls_, *target, options_.verify_tls);
      open(*connection, *target, deadline, ec);
      if (ec == asio::error::timed_out) return timed_out();
    }
    // Watched from the TCP connection on: the deadline bounds the TLS handshake too, which a
    // server (or a man in the middle) could send a byte at a time. Without a watch a blocking
    // read could wait for ever, so no watch, no request.
    if (!ec) watch = deadlines_.arm(connection->socket().native_handle(), deadline);
    if (!ec && !watch) {
      failed.error = "cannot watch the request's deadline (no thread or descriptor to spare)";
      return failed;
    }
    if (!ec && fresh && connection->tls)
      connection->tls->handshake(asio::ssl::stream_base::client, ec);

    http::request<http::span_body<const char>> out;
    set_request_head(out, *target, request);
    out.body() = {request.body.data(), request.body.size()};
    std::optional<ResponseParser> parser;
    parser.emplace();
    if (!ec) exchange(*connection, out, request.max_response_bytes, parser, ec);

    // Shut down at the deadline, the socket may have ended a body without a length early; one
    // whose length checked out is whole, read just before. Either way the connection is spent.
    const bool ends_at_close = parser->is_header_done() && parser->need_eof();
    const bool cut_off = watch.disarm();
    if (cut_off && (ec || ends_at_close)) return timed_out();
    bool reusable = false;
    ClientResponse response = exchange_answer(ec, *parser, request.max_response_bytes, reusable);
    if (reusable && !cut_off) give_back(target->pool_key, std::move(connection));
    return response;
  }

 private:
  void open(ClientConnection& connection, const ClientTarget& target, Clock::time_point deadline,
            boost::system::error_code& ec) {
    tcp::resolver::results_type endpoints;
    if (target.host_is_address) {
      const tcp::endpoint endpoint(asio::ip::make_address(target.host), target.port);
      endpoints = tcp::resolver::results_type::create(endpoint, target.host, "");
    } else {
      tcp::resolver resolver(io_);
      endpoints = resolver.resolve(target.host, std::to_string(target.port), ec);
      if (ec) return;
    }
    connect(connection.socket(), endpoints, deadline, ec);
  }

  static void exchange(ClientConnection& connection,
                       http::request<http::span_body<const char>>& out,
                       std::size_t max_response_bytes, std::optional<ResponseParser>& parser,
                       boost::system::error_code& ec) {
    connection.with_stream([&](auto& stream) {
      http::write(stream, out, ec);
      if (ec) return;
      do {  // past any interim answers, to the final one
        parser.emplace();
        limit_response(*parser, out.method(), max_response_bytes);
        http::read_header(stream, connection.buffer, *parser, ec);
      } while (!ec && is_interim(*parser));
      if (ec || parser->is_done()) return;
      http::read(stream, connection.buffer, *parser, ec);
    });
  }

  // A pooled connection that is still usable, else nothing. Checked outside the lock, so that
  // other requests take and give back connections meanwhile.
  std::unique_ptr<ClientConnection> take(const std::string& key) {
    for (;;) {
      std::unique_ptr<ClientConnection> connection;
      {
        std::lock_guard lock(mutex_);
        connection = idle_.take(key);
      }
      if (!connection || connection->still_usable()) return connection;
    }
  }

  void give_back(const std::string& key, std::unique_ptr<ClientConnection> connection) {
    std::lock_guard lock(mutex_);
    idle_.give_back(key, std::move(connection));
  }

  HttpClientOptions options_;
  asio::io_context io_;  // never run: its sockets are used only by blocking calls
  asio::ssl::context tls_;
  ExchangeDeadlines deadlines_;
  std::mutex mutex_;
  IdlePool<ClientConnection> idle_{options_.max_idle_per_host, options_.max_idle_total,
                                   options_.max_idle_time};
};

}  // namespace

void HttpClient::send_async(ClientRequest request, std::function<void(ClientResponse)> done) {
  // By value for the clients that keep both until the answer; here they are only moved.
  const ClientRequest sent = std::move(request);
  const std::function<void(ClientResponse)> answer = std::move(done);
  answer(send(sent));
}

std::unique_ptr<HttpClient> make_http_client(const HttpClientOptions& options) {
  return std::make_unique<BlockingHttpClient>(options);
}

std::string redact_url(const std::string& url) {
  std::string ignored;
  const std::optional<UrlParts> parts = split_url(url, ignored);
  if (!parts) return "<invalid url>";
  std::string shown = parts->scheme + "://";
  shown += bracketed(parts->host);
  if (parts->port) shown += ":" + std::to_string(*parts->port);
  shown += parts->path;
  return shown;
}

}  // namespace ttb::net
