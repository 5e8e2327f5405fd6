#include "net/async_http_client.h"

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
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "net/client_connection.h"
#include "net/client_target.h"
#include "net/idle_pool.h"
#include "ops/thread_name.h"

namespace ttb::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

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
  void write();
  void read();
  void read_body();
  void finish(const boost::system::error_code& ec);

  ClientState& client_;
  ClientTarget target_;
  ClientRequest request_;
  std::function<void(ClientResponse)> done_;
  std::unique_ptr<ClientConnection> connection_;
  tcp::resolver resolver_;
  asio::steady_timer deadline_;
  http::request<http::string_body> out_;
  std::optional<ResponseParser> parser_;
  std::string aborted_;  // why abort() ended it; empty while it runs
  bool finished_ = false;
};

// What the I/O thread works on. Shared by the client and the thread, which keeps it until its
// last handler has run: the client may be destroyed on that thread (from a `done` that held the
// last reference to it), and then leaves the thread to finish on its own.
struct ClientState {
  explicit ClientState(const HttpClientOptions& o)
      : options(o), tls(asio::ssl::context::tls_client), work(io.get_executor()) {
    configure_client_tls(tls, options);
  }

  // --- on the I/O thread only

  std::unique_ptr<ClientConnection> take_idle(const std::string& key) {
    while (std::unique_ptr<ClientConnection> c = idle.take(key)) {
      if (c->still_usable()) return c;
    }
    return nullptr;
  }

  void give_back(const std::string& key, std::unique_ptr<ClientConnection> connection) {
    if (!closing) idle.give_back(key, std::move(connection));
  }

  HttpClientOptions options;
  asio::io_context io;
  asio::ssl::context tls;
  asio::executor_work_guard<asio::io_context::executor_type> work;
  bool closing = false;
  std::set<std::shared_ptr<Exchange>> live;
  IdlePool<ClientConnection> idle{options.max_idle_per_host, options.max_idle_total,
                                  options.max_idle_time};
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
    if (target) error = unsendable_method(request.method);
    if (target && error.empty()) error = unsendable_headers(request.headers);
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
  connection_ = new_connection(client_.io, client_.tls, target_, client_.options.verify_tls);
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
  if (!connection_->tls) return write();
  connection_->tls->async_handshake(
      asio::ssl::stream_base::client,
      [self = shared_from_this()](const boost::system::error_code& e) {
        if (e) return self->finish(e);
        self->write();
      });
}

void Exchange::write() {
  if (!aborted_.empty()) return finish(asio::error::operation_aborted);
  set_request_head(out_, target_, request_);
  out_.body() = std::move(request_.body);
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
  limit_response(*parser_, out_.method(), request_.max_response_bytes);
  connection_->with_stream([this](auto& stream) {
    http::async_read_header(
        stream, connection_->buffer, *parser_,
        [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
          if (!ec && is_interim(*self->parser_)) return self->read();  // the final answer next
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
  } else if (!parser_) {  // ended before its request was written
    response.error = ec.message();
  } else {
    bool reusable = false;
    response = exchange_answer(ec, *parser_, request_.max_response_bytes, reusable);
    if (reusable) client_.give_back(target_.pool_key, std::move(connection_));
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
