#include "net/http_connection.h"

#include <array>
#include <ctime>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "net/request_dispatch.h"
#include "net/request_target.h"
#include "ops/log.h"

namespace ttb::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;
using tcp = asio::ip::tcp;

// A refused request's body may still be on its way. Closing at once would make the kernel answer
// the client's remaining bytes with a reset, and the client would report a broken pipe instead of
// our status. So, like nginx's lingering close: stop sending, then read and drop what the client
// still sends, bounded in bytes and time.
constexpr std::size_t kLingerMaxBytes = 16 << 20;
constexpr std::chrono::seconds kLingerTime{2};
constexpr std::chrono::seconds kTlsShutdownTime{1};
// A request's first read: room for a webhook's head and body at once. An idle connection holds no
// buffer at all (the last request's is given back, and plain TCP waits for the next request's
// first byte without reading), so thousands of idle keep-alive connections cost little memory.
constexpr std::size_t kFirstReadBytes = 4096;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

std::string http_date() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::array<char, 64> text{};
  const std::size_t n = std::strftime(text.data(), text.size(), "%a, %d %b %Y %H:%M:%S GMT", &utc);
  return std::string(text.data(), n);
}

// Beast 1.74 hands out boost::string_view.
std::string_view view(beast::string_view s) {
  return {s.data(), s.size()};
}

bool is_hop_by_hop(std::string_view name) {
  return iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") ||
         iequals(name, "Connection");
}

// Stream: beast::tcp_stream, beast::ssl_stream<beast::tcp_stream>, or LocalStream; the lowest
// layer (a beast::basic_stream) carries the deadlines.
template <class Stream>
class Connection final : public ConnectionControl,
                         public std::enable_shared_from_this<Connection<Stream>> {
  using Lowest =
      std::remove_reference_t<decltype(beast::get_lowest_layer(std::declval<Stream&>()))>;
  using Socket = typename Lowest::socket_type;

 public:
  Connection(Socket socket, asio::ssl::context* tls, std::string address, std::string remote,
             std::shared_ptr<ServerState> state)
      : stream_(make_stream(std::move(socket), tls)),
        executor_(beast::get_lowest_layer(stream_).get_executor()),
        idle_timer_(executor_),
        address_(std::move(address)),
        remote_(std::move(remote)),
        state_(std::move(state)) {}

  ~Connection() override {
    if (counted_) state_->in_flight.fetch_sub(1);
    state_->remove_connection(id_);
    state_->limits.close(address_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void start() {
    id_ = state_->add_connection(this->weak_from_this());
    asio::dispatch(executor_, [self = this->shared_from_this()] { self->begin(); });
  }

  void close_if_idle() override {
    asio::post(executor_, [self = this->shared_from_this()] {
      if (self->phase_ == Phase::idle || self->phase_ == Phase::handshake) self->close_socket();
    });
  }

  void close_now() override {
    asio::post(executor_, [self = this->shared_from_this()] { self->close_socket(); });
  }

 private:
  enum class Phase { handshake, idle, reading, handling, writing, closing };

  static constexpr bool kTls = !std::is_same_v<Stream, Lowest>;

  static Stream make_stream(Socket socket, asio::ssl::context* tls) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *tls);
    } else {
      return Stream(std::move(socket));
    }
  }

  Lowest& lowest() { return beast::get_lowest_layer(stream_); }

  void begin() {
    if constexpr (kTls) {
      phase_ = Phase::handshake;
      lowest().expires_after(state_->options.header_timeout);
      stream_.async_handshake(asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return self->close_socket();
                                self->wait_for_request();
                              });
    } else {
      wait_for_request();
    }
  }

  // Between requests: the idle deadline runs until the next request's first byte.
  void wait_for_request() {
    if (state_->stopping.load()) return close_socket();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(state_->options.max_head_bytes));
    parser_->body_limit(state_->options.max_body_bytes);
    request_ = Request{};
    linger_ = false;
    if (buffer_.size() > 0) return start_request();  // pipelined: the next one is already here
    phase_ = Phase::idle;
    buffer_.shrink_to_fit();
    if constexpr (kTls) {
      // TLS may hold bytes it has already read from the socket, so the socket's readiness says
      // nothing: the stream reads.
      lowest().expires_after(state_->options.idle_timeout);
      read_first();
    } else {
      wait_for_first_byte();
    }
  }

  // Plain streams wait for the socket to be readable, then read: a read issued at once, as
  // after each answer, would mostly find nothing yet (a client sends its next request once it
  // has our answer), and cost a system call per request for nothing.
  void wait_for_first_byte() {
    idle_timer_.expires_after(state_->options.idle_timeout);
    idle_timer_.async_wait([connection = this->weak_from_this()](beast::error_code ec) {
      if (ec) return;  // cancelled: the first byte came, or the connection went
      if (auto self = connection.lock()) self->close_socket();
    });
    lowest().socket().async_wait(
        Socket::wait_read, [self = this->shared_from_this()](beast::error_code ec) {
          self->idle_timer_.cancel();
          if (ec || self->phase_ == Phase::closing) {
            return self->close_socket();
          }
          self->lowest().expires_after(self->state_->options.header_timeout);
          self->read_first();
        });
  }

  void read_first() {
    stream_.async_read_some(buffer_.prepare(kFirstReadBytes),
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
                              if (ec || n == 0) return self->close_socket();
                              self->buffer_.commit(n);
                              self->start_request();
                            });
  }

  void start_request() {
    phase_ = Phase::reading;
    started_ = Clock::now();
    counted_ = true;
    state_->in_flight.fetch_add(1);
    const auto& o = state_->options;
    lowest().expires_at(started_ + std::min(o.header_timeout, o.request_timeout));
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                              self->on_header(ec);
                            });
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_read_error(ec);
    auto& head = parser_->get();
    request_.method = std::string(view(head.method_string()));
    request_.remote = remote_;
    request_.received_at = started_;
    for (const auto& field : head) {
      request_.headers.emplace_back(view(field.name_string()), view(field.value()));
    }
    request_.request_id = request_id_for(request_.headers);
    if (auto refused = check_header_limits(request_.headers, state_->options)) {
      return refuse(std::move(*refused));
    }
    if (!parse_request_target(view(head.target()), request_.path, request_.query)) {
      return refuse(Response::text(400, "malformed request target\n"));
    }
    if (parser_->is_done()) return on_body({});
    lowest().expires_at(started_ + state_->options.request_timeout);
    if (iequals(view(head[http::field::expect]), "100-continue")) {
      asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                        [self = this->shared_from_this()](beast::error_code e, std::size_t) {
                          if (e) return self->close_socket();
                          self->read_body();
                        });
      return;
    }
    read_body();
  }

  void read_body() {
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                       self->on_body(ec);
                     });
  }

  void on_body(beast::error_code ec) {
    if (ec) return on_read_error(ec);
    request_.body = std::move(parser_->get().body());
    Router::Match match = state_->router->match(request_);
    if (!match.found()) {
      return respond(match.method_mismatch ? Response::text(405, "method not allowed\n")
                                           : Response::text(404, "not found\n"),
                     "unmatched");
    }
    route_ = match.route;
    phase_ = Phase::handling;
    lowest().expires_never();  // the handler has its own deadlines; a slow one must not cut us off
    auto self = this->shared_from_this();
    if (match.async_handler) return hand_to_async(self, *match.async_handler);
    const Handler* handler = match.handler;
    // The request is copied into the task: the connection's fields belong to its I/O strand.
    const bool queued =
        state_->workers.try_post([self, handler, route = route_, request = request_]() mutable {
          Response response = run_handler(*handler, route, request);
          asio::post(self->executor_, [self, response = std::move(response)]() mutable {
            self->respond(std::move(response), self->route_);
          });
        });
    if (!queued) respond(busy(), route_);
  }

  // The handler never waits (Router::add_async), so it runs here, on this connection's strand,
  // with no hop to a worker and back; it returns without its answer, which comes back to the
  // strand from whichever thread gives it (the store's, once a commit is durable).
  void hand_to_async(const std::shared_ptr<Connection>& self, const AsyncHandler& handler) {
    auto state = state_;
    state->answer_awaited();
    // Called once. Its references move out as it answers: whoever holds the last copy of the
    // Respond (the store's thread, a test) may drop it after the server is gone, and must not be
    // the one that destroys a connection or the server's state then.
    // (An init-capture: a plain copy of `self`, a const reference, would be const and could not
    // be moved out.)
    auto [respond, instead] = respond_once([connection = self, state](Response response) mutable {
      auto given = std::move(state);
      try {
        // With the other answers given meanwhile, in one wake-up of an I/O thread; there, into
        // the connection's strand, where the answer runs at once when the strand is free.
        given->answers->push(
            [self = std::move(connection), response = std::move(response)]() mutable {
              auto& strand = self->executor_;
              asio::dispatch(strand,
                             [self = std::move(self), response = std::move(response)]() mutable {
                               self->respond(std::move(response), self->route_);
                             });
            });
      } catch (...) {
        // Out of memory: the answer is lost, and the connection is closed when the server
        // stops; the stop must not wait for it.
      }
      given->answer_given();  // after the post: a stop keeps the I/O threads until then
    });
    // The answer's deadline, request_timeout after the request arrived: a handler waiting on
    // the store (a webhook's commit) that has not answered by then is answered 503 with
    // Retry-After in its place, and its late answer is dropped. A database that hangs would
    // otherwise hold its callers, and their connections, for good. The plain streams' idle
    // timer is free while a request is handled; respond() cancels it.
    idle_timer_.expires_after(state_->options.request_timeout);
    idle_timer_.async_wait([instead = std::move(instead), route = route_, id = request_.request_id,
                            wait = state_->options.request_timeout](beast::error_code ec) {
      if (ec) return;  // answered in time, or the connection went
      Response late = Response::text(503, "not answered in time; retry later\n");
      late.headers.emplace_back("Retry-After", "5");
      if (!instead(std::move(late))) return;  // the handler's answer came first
      ops::log_warn("http_answer_timed_out",
                    {{"route", route},
                     {"request_id", id},
                     {"wait_ms", wait.count()},
                     {"detail",
                      "the handler did not answer in time; the client was asked to "
                      "retry"}});
    });
    run_async_handler(handler, route_, request_, respond);
  }

  static Response busy() {
    Response busy = Response::text(503, "busy; retry later\n");
    busy.headers.emplace_back("Retry-After", "1");
    return busy;
  }

  void on_read_error(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      std::string message = "request body exceeds ";
      message += std::to_string(state_->options.max_body_bytes);
      message += " bytes\n";
      return refuse(Response::text(413, std::move(message)));
    }
    if (ec == http::error::header_limit) {
      return refuse(Response::text(431, "request head too large\n"));
    }
    if (ec == http::error::partial_message && parser_->is_header_done()) {
      // The caller stopped half-way through the body: never hand half a body on.
      return refuse(Response::text(400, "incomplete request body\n"));
    }
    if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message) {
      return refuse(Response::text(400, "malformed request\n"));
    }
    // A deadline passed (the stream is already closed), the caller went away, or a stop.
    close_socket();
  }

  // Answers without reading the rest of the request, so the connection cannot be kept: its
  // unread bytes would be parsed as the next request (smuggling).
  void refuse(Response response) {
    linger_ = true;
    if (request_.request_id.empty()) request_.request_id = request_id_for({});
    respond(std::move(response), "unmatched");
  }

  void respond(Response response, std::string route) {
    if (phase_ == Phase::closing) return;  // closed by a stop while the handler ran
    // An async handler's answer: its deadline is over.
    if (phase_ == Phase::handling) idle_timer_.cancel();
    phase_ = Phase::writing;
    route_ = std::move(route);
    if (auto problem = unsendable(response)) {
      ops::log_error("http_answer_unsendable",
                     {{"route", route_}, {"request_id", request_.request_id}, {"error", *problem}});
      response = Response::text(500, "internal error\n");
    }
    const bool keep = !linger_ && !state_->stopping.load() && parser_->is_header_done() &&
                      parser_->get().keep_alive();
    auto out = std::make_shared<http::response<http::string_body>>();
    out->version(parser_->is_header_done() ? parser_->get().version() : 11);
    const int status = response.status;  // 200 to 999 (unsendable)
    out->result(static_cast<unsigned>(status));
    out->set(http::field::date, http_date());
    out->set(http::field::content_type, response.content_type);
    out->set("X-Request-Id", request_.request_id);
    for (auto& [name, value] : response.headers) {
      if (!is_hop_by_hop(name)) out->set(name, value);
    }
    out->body() = std::move(response.body);
    out->prepare_payload();
    // A HEAD answer announces the length of the body it leaves out (RFC 9110, 9.3.2).
    if (request_.method == "HEAD") out->body().clear();
    out->keep_alive(keep);
    response_ = out;
    // Observed as the answer is handed to the socket, not once written: a client that has its
    // answer (and asks /metrics next, on another connection) always finds it counted.
    if (state_->observer) {
      state_->observer(
          request_, route_, status,
          std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started_));
    }
    lowest().expires_after(state_->options.request_timeout);
    http::async_write(stream_, *out,
                      [self = this->shared_from_this(), keep](beast::error_code ec, std::size_t) {
                        self->on_written(ec, keep);
                      });
  }

  void on_written(beast::error_code ec, bool keep) {
    response_.reset();
    if (counted_) {
      counted_ = false;
      state_->in_flight.fetch_sub(1);
    }
    if (ec) return close_socket();
    if (linger_) return linger();
    if (!keep) return finish();
    wait_for_request();
  }

  void linger() {
    phase_ = Phase::closing;
    beast::error_code ignored;
    lowest().socket().shutdown(asio::socket_base::shutdown_send, ignored);
    lowest().expires_after(kLingerTime);
    scratch_.resize(16384);
    drain(0);
  }

  void drain(std::size_t drained) {
    if (drained >= kLingerMaxBytes) return close_socket();
    // Raw TCP bytes, under TLS too: they are dropped unread.
    lowest().async_read_some(asio::buffer(scratch_), [self = this->shared_from_this(), drained](
                                                         beast::error_code ec, std::size_t n) {
      if (ec || n == 0) return self->close_socket();
      self->drain(drained + n);
    });
  }

  // A clean end: TLS says close_notify first; plain TCP stops sending, then closes.
  void finish() {
    phase_ = Phase::closing;
    if constexpr (kTls) {
      lowest().expires_after(kTlsShutdownTime);
      stream_.async_shutdown(
          [self = this->shared_from_this()](beast::error_code) { self->close_socket(); });
    } else {
      beast::error_code ignored;
      lowest().socket().shutdown(asio::socket_base::shutdown_send, ignored);
      close_socket();
    }
  }

  void close_socket() {
    phase_ = Phase::closing;
    idle_timer_.cancel();
    beast::error_code ignored;
    lowest().socket().shutdown(asio::socket_base::shutdown_both, ignored);
    lowest().close();
  }

  Stream stream_;
  asio::any_io_executor executor_;
  // Plain streams' idle deadline (TLS's is the stream's own); an async handler's answer deadline
  // while a request is handled.
  asio::steady_timer idle_timer_;
  std::string address_;  // client IP, the key of the per-address cap
  std::string remote_;   // "ip:port" as handlers see it
  std::shared_ptr<ServerState> state_;
  std::uint64_t id_ = 0;

  Phase phase_ = Phase::idle;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Request request_;
  std::string route_ = "unmatched";
  Clock::time_point started_;
  bool counted_ = false;  // this request is in state_->in_flight
  bool linger_ = false;
  std::shared_ptr<http::response<http::string_body>> response_;
  std::vector<char> scratch_;  // only while lingering: idle connections stay small
};

using LocalStream = beast::basic_stream<asio::local::stream_protocol>;

// Makes the connection and starts it. Its count in the limits is the Connection's to give back;
// one that cannot be made (no memory, or no TLS session: the ssl_stream throws) gives it back
// here, and the error goes on to the acceptor, which drops this client alone.
template <class Stream, class Socket>
void make_and_start(Socket socket, asio::ssl::context* tls, std::string address, std::string remote,
                    const std::shared_ptr<ServerState>& state) {
  std::shared_ptr<Connection<Stream>> connection;
  try {
    connection = std::make_shared<Connection<Stream>>(std::move(socket), tls, address,
                                                      std::move(remote), state);
  } catch (...) {
    state->limits.close(address);
    throw;
  }
  connection->start();
}

}  // namespace

void serve_plain_connection(tcp::socket socket, std::string address, std::string remote,
                            const std::shared_ptr<ServerState>& state) {
  make_and_start<beast::tcp_stream>(std::move(socket), nullptr, std::move(address),
                                    std::move(remote), state);
}

void serve_tls_connection(tcp::socket socket, std::string address, std::string remote,
                          const std::shared_ptr<ServerState>& state, asio::ssl::context& tls) {
  make_and_start<beast::ssl_stream<beast::tcp_stream>>(std::move(socket), &tls, std::move(address),
                                                       std::move(remote), state);
}

void serve_local_connection(asio::local::stream_protocol::socket socket, std::string address,
                            std::string remote, const std::shared_ptr<ServerState>& state) {
  make_and_start<LocalStream>(std::move(socket), nullptr, std::move(address), std::move(remote),
                              state);
}

}  // namespace ttb::net
