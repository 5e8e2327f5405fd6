#include "net/async_http_client.h"

#include <openssl/ssl.h>
#include <poll.h>

#include <future>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "net/client_target.h"
#include "net/idle_pool.h"
#include "net/tls_trust.h"
#include "ops/thread_name.h"

namespace ttb::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Vendors' answers carry cookies and tracing headers; Beast's default (8 KiB) is too tight.
constexpr std::uint32_t kResponseHeaderLimit = 64 * 1024;

// One kept-alive connection: a plain socket, or a TLS stream that owns its socket.
struct Connection {
  std::optional<tcp::socket> plain;
  std::optional<asio::ssl::stream<tcp::socket>> tls;
  beast::flat_buffer buffer;  // bytes read past a response stay here (and disqualify reuse)

  tcp::socket& socket() { return tls ? tls->next_layer() : *plain; }
  template <class F>
  void with_stream(F&& f) {
    if (tls)
      f(*tls);
    else
      f(*plain);
  }
  void close() {
    boost::system::error_code ignored;
    socket().close(ignored);
  }
  // An idle kept-alive connection has nothing to read; if it has, the server closed it (or sent
  // junk) while it sat in the pool, and a request written to it would fail.
  bool still_usable() {
    if (!socket().is_open() || buffer.size() != 0) return false;
    pollfd idle{};
    idle.fd = socket().native_handle();
    idle.events = POLLIN | POLLRDHUP;  // POLLERR and POLLHUP are always reported
    return ::poll(&idle, 1, 0) == 0;
  }
};

struct ClientState;

// One request from its first step to `done`; lives in the handlers it has pending. Touched only
// on the client's I/O thread.
class Exchange : public std::enable_shared_from_this<Exchange> {
 public:
  Exchange(ClientState& client, ClientTarget target, ClientRequest request,
           std::function<void(ClientResponse)> done);
  void start();
  // Ends the exchange early (the deadline, or the client closing): every pending step then
  // completes with an error, and finish() reports `why`.
  void abort(std::string why);

 private:
  void open_connection();
  void connect(const tcp::resolver::results_type& endpoints);
  void connected(const boost::system::error_code& ec);
  void handshake();
  void write();
  void read();
  void read_body();
  void finish(const boost::system::error_code& ec);

  ClientState& client_;
  ClientTarget target_;
  ClientRequest request_;
  std::function<void(ClientResponse)> done_;
  std::unique_ptr<Connection> connection_;
  tcp::resolver resolver_;
  asio::steady_timer deadline_;
  http::request<http::string_body> out_;
  std::optional<http::response_parser<http::string_body>> parser_;
  std::string aborted_;  // why abort() ended it; empty while it runs
  bool finished_ = false;
};

// What the I/O thread works on. Shared by the client and the thread, which keeps it until its
// last handler has run: the client may be destroyed on that thread (from a `done` that held the
// last reference to it), and then leaves the thread to finish on its own.
struct ClientState {
  explicit ClientState(const HttpClientOptions& o)
      : options(o), tls(asio::ssl::context::tls_client), work(io.get_executor()) {
    SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_2_VERSION);
    if (options.verify_tls) {
      trust_certificates(tls.native_handle(), options.ca_file);
      tls.set_verify_mode(asio::ssl::verify_peer);
    } else {
      tls.set_verify_mode(asio::ssl::verify_none);
    }
  }

  // --- on the I/O thread only

  std::unique_ptr<Connection> take_idle(const std::string& key) {
    while (std::unique_ptr<Connection> c = idle.take(key)) {
      if (c->still_usable()) return c;
    }
    return nullptr;
  }

  void give_back(const std::string& key, std::unique_ptr<Connection> connection) {
    if (!closing) idle.give_back(key, std::move(connection));
  }

  HttpClientOptions options;
  asio::io_context io;
  asio::ssl::context tls;
  asio::executor_work_guard<asio::io_context::executor_type> work;
  bool closing = false;
  std::set<std::shared_ptr<Exchange>> live;
  IdlePool<Connection> idle{options.max_idle_per_host, options.max_idle_total};
};

class AsyncHttpClient final : public HttpClient {
 public:
  explicit AsyncHttpClient(const HttpClientOptions& options)
      : state_(std::make_shared<ClientState>(options)) {
    thread_ = std::thread([state = state_] {
      ops::name_this_thread("ttb-http-out");
      state->io.run();
    });
  }

  ~AsyncHttpClient() override {
    asio::post(state_->io, [state = state_] {
      state->closing = true;
      // A copy: abort() leads to finish(), which erases from `live`.
      const std::set<std::shared_ptr<Exchange>> out = state->live;
      for (const auto& exchange : out) exchange->abort("the HTTP client is shutting down");
      state->idle.clear();
    });
    state_->work.reset();
    if (thread_.get_id() == std::this_thread::get_id())
      thread_.detach();  // destroyed from a `done`: the thread ends once that returns
    else
      thread_.join();
  }

  ClientResponse send(const ClientRequest& request) override {
    // Owned by the callback: the answer is set on the I/O thread while this one may already be
    // waking and returning.
    auto answer = std::make_shared<std::promise<ClientResponse>>();
    std::future<ClientResponse> answered = answer->get_future();
    send_async(request, [answer](ClientResponse r) { answer->set_value(std::move(r)); });
    return answered.get();
  }

  bool sends_async() const override { return true; }

  void send_async(ClientRequest request, std::function<void(ClientResponse)> done) override {
    std::string error;
    std::optional<ClientTarget> target = client_target(request.url, error);
    if (target) error = unsendable_headers(request.headers);
    if (!target || !error.empty()) {
      ClientResponse failed;
      failed.error = std::move(error);
      done(std::move(failed));
      return;
    }
    auto exchange = std::make_shared<Exchange>(*state_, std::move(*target), std::move(request),
                                               std::move(done));
    asio::post(state_->io, [state = state_.get(), exchange] {
      if (state->closing) {
        exchange->abort("the HTTP client is shutting down");
        return;
      }
      state->live.insert(exchange);
      exchange->start();
    });
  }

 private:
  std::shared_ptr<ClientState> state_;
  std::thread thread_;
};

Exchange::Exchange(ClientState& client, ClientTarget target, ClientRequest request,
                   std::function<void(ClientResponse)> done)
    : client_(client),
      target_(std::move(target)),
      request_(std::move(request)),
      done_(std::move(done)),
      resolver_(client.io),
      deadline_(client.io) {}

void Exchange::start() {
  deadline_.expires_after(request_.timeout);
  deadline_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec) self->abort("timeout after " + std::to_string(self->request_.timeout.count()) + " ms");
  });
  connection_ = client_.take_idle(target_.pool_key);
  if (connection_) {
    write();
  } else {
    open_connection();
  }
}

void Exchange::abort(std::string why) {
  if (finished_ || !aborted_.empty()) return;
  aborted_ = std::move(why);
  resolver_.cancel();
  if (connection_) connection_->close();
  // Nothing pending yet (the client closing before start): report now.
  if (!connection_) finish(asio::error::operation_aborted);
}

void Exchange::open_connection() {
  connection_ = std::make_unique<Connection>();
  if (target_.tls)
    connection_->tls.emplace(client_.io, client_.tls);
  else
    connection_->plain.emplace(client_.io);
  // An address needs no lookup (and no trip to the resolver's own thread).
  if (target_.host_is_address) {
    const tcp::endpoint endpoint(asio::ip::make_address(target_.host), target_.port);
    connection_->socket().async_connect(
        endpoint,
        [self = shared_from_this()](const boost::system::error_code& ec) { self->connected(ec); });
    return;
  }
  resolver_.async_resolve(target_.host, std::to_string(target_.port),
                          [self = shared_from_this()](const boost::system::error_code& ec,
                                                      const tcp::resolver::results_type& found) {
                            if (ec) return self->finish(ec);
                            self->connect(found);
                          });
}

void Exchange::connect(const tcp::resolver::results_type& endpoints) {
  asio::async_connect(connection_->socket(), endpoints,
                      [self = shared_from_this()](const boost::system::error_code& ec,
                                                  const tcp::endpoint&) { self->connected(ec); });
}

void Exchange::connected(const boost::system::error_code& ec) {
  if (ec) return finish(ec);
  if (connection_->tls)
    handshake();
  else
    write();
}

void Exchange::handshake() {
  auto& stream = *connection_->tls;
  if (!target_.host_is_address)
    SSL_set_tlsext_host_name(stream.native_handle(), target_.host.c_str());
  if (client_.options.verify_tls)
    stream.set_verify_callback(asio::ssl::host_name_verification(target_.host));
  stream.async_handshake(asio::ssl::stream_base::client,
                         [self = shared_from_this()](const boost::system::error_code& ec) {
                           if (ec) return self->finish(ec);
                           self->write();
                         });
}

void Exchange::write() {
  if (!aborted_.empty()) return finish(asio::error::operation_aborted);
  const http::verb verb = http::string_to_verb(request_.method);
  if (verb == http::verb::unknown)
    out_.method_string(request_.method);
  else
    out_.method(verb);
  out_.target(target_.path_etc);
  out_.version(11);
  out_.set(http::field::host, target_.host_header);
  for (const auto& [name, value] : request_.headers) out_.set(name, value);
  const bool sends_body = !request_.body.empty() || verb == http::verb::post ||
                          verb == http::verb::put || verb == http::verb::patch;
  if (sends_body) {
    out_.content_length(request_.body.size());
    out_.body() = std::move(request_.body);
  }
  connection_->with_stream([this](auto& stream) {
    http::async_write(
        stream, out_,
        [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
          if (ec) return self->finish(ec);
          self->read();
        });
  });
}

void Exchange::read() {
  parser_.emplace();
  parser_->header_limit(kResponseHeaderLimit);
  parser_->body_limit(request_.max_response_bytes);
  if (out_.method() == http::verb::head) parser_->skip(true);
  // The head first: Beast (1.74) checks a Content-Length against the body limit only when it
  // stops after the head; reading head and body in one go lets a body over the limit through.
  connection_->with_stream([this](auto& stream) {
    http::async_read_header(
        stream, connection_->buffer, *parser_,
        [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
          if (ec || self->parser_->is_done()) return self->finish(ec);
          self->read_body();
        });
  });
}

void Exchange::read_body() {
  connection_->with_stream([this](auto& stream) {
    http::async_read(stream, connection_->buffer, *parser_,
                     [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                       self->finish(ec);
                     });
  });
}

void Exchange::finish(const boost::system::error_code& ec) {
  if (finished_) return;
  finished_ = true;
  deadline_.cancel();
  ClientResponse response;
  if (!aborted_.empty()) {
    response.error = aborted_;
  } else if (ec == http::error::body_limit) {
    response.error = "response exceeds " + std::to_string(request_.max_response_bytes) + " bytes";
  } else if (ec == http::error::partial_message || ec == http::error::end_of_stream) {
    response.error = "connection closed before the whole response";
  } else if (ec) {
    response.error = ec.message();
  } else {
    http::response<http::string_body> in = parser_->release();
    response.status = static_cast<int>(in.result_int());
    for (const auto& field : in) {
      response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    response.body = std::move(in.body());
    if (in.keep_alive()) client_.give_back(target_.pool_key, std::move(connection_));
  }
  if (connection_) connection_->close();
  connection_.reset();
  client_.live.erase(shared_from_this());
  try {
    done_(std::move(response));
  } catch (...) {
    // `done` must not throw; one that does loses only its own answer, not the I/O thread.
  }
}

}  // namespace

std::unique_ptr<HttpClient> make_async_http_client(const HttpClientOptions& options) {
  return std::make_unique<AsyncHttpClient>(options);
}

}  // namespace ttb::net
