#include "net/http_server.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <future>
#include <optional>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "net/http_connection.h"
#include "net/server_state.h"
#include "ops/log.h"
#include "ops/thread_name.h"

namespace ttb::net {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using local = asio::local::stream_protocol;
using Clock = std::chrono::steady_clock;

// After an accept error (most often: out of file descriptors), wait before the next accept so the
// loop does not spin while nothing can be accepted.
constexpr std::chrono::milliseconds kAcceptRetry{100};
// A refused connection is logged at most this often: a flood must not flood the log too.
constexpr std::chrono::seconds kRefusalLogEvery{10};
// How long stop() lets closing connections finish their last steps (TLS close, lingering close)
// before it stops the I/O threads outright.
constexpr std::chrono::seconds kDrainIo{3};

std::string listen_error(const ServerOptions& options, const std::string& why) {
  std::string message = "cannot listen on ";
  if (options.unix_socket_path.empty()) {
    message += options.host;
    message += ":";
    message += std::to_string(options.port);
  } else {
    message += "unix:";
    message += options.unix_socket_path;
  }
  message += ": ";
  message += why;
  return message;
}

tcp::endpoint endpoint_for(asio::io_context& io, const ServerOptions& options) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(options.host, ec);
  if (!ec) return {address, options.port};
  tcp::resolver resolver(io);
  auto results = resolver.resolve(options.host, std::to_string(options.port), ec);
  if (ec || results.empty()) throw std::runtime_error(listen_error(options, ec.message()));
  return results.begin()->endpoint();
}

std::unique_ptr<asio::ssl::context> tls_context(const ServerOptions& options) {
  if (options.tls_cert_file.empty() && options.tls_key_file.empty()) return nullptr;
  if (options.tls_cert_file.empty() || options.tls_key_file.empty()) {
    throw std::runtime_error("TLS needs both a certificate file and a key file");
  }
  auto tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
  tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                   asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
  boost::system::error_code ec;
  tls->use_certificate_chain_file(options.tls_cert_file, ec);
  if (ec) {
    std::string message = "cannot load the TLS certificate chain ";
    message += options.tls_cert_file;
    message += ": ";
    message += ec.message();
    throw std::runtime_error(message);
  }
  tls->use_private_key_file(options.tls_key_file, asio::ssl::context::pem, ec);
  if (ec) {
    std::string message = "cannot load the TLS private key ";
    message += options.tls_key_file;
    message += " (or it does not match the certificate): ";
    message += ec.message();
    throw std::runtime_error(message);
  }
  return tls;
}

std::string remote_text(const tcp::endpoint& endpoint) {
  std::string host = endpoint.address().to_string();
  if (endpoint.address().is_v6()) host = std::string("[") + host + "]";
  host += ":";
  host += std::to_string(endpoint.port());
  return host;
}

// Who is on the other end: the key of the per-address cap and the text handlers see.
struct Peer {
  std::string address;
  std::string remote;
};
std::optional<Peer> peer_of(tcp::socket& socket) {
  boost::system::error_code ec;
  const tcp::endpoint remote = socket.remote_endpoint(ec);
  if (ec) return std::nullopt;
  return Peer{remote.address().to_string(), remote_text(remote)};
}
// Local clients have no address of their own: they share one key, and the socket file's mode
// decides who they may be.
std::optional<Peer> peer_of(local::socket&) {
  return Peer{"unix", "unix"};
}

// Binds and listens on a TCP address. SO_REUSEADDR only (no SO_REUSEPORT): a second daemon on
// the same port must fail at start-up instead of silently sharing the traffic.
void open_acceptor(tcp::acceptor& acceptor, asio::io_context& io, const ServerOptions& options) {
  const tcp::endpoint endpoint = endpoint_for(io, options);
  boost::system::error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error(listen_error(options, ec.message()));
}

// Binds and listens on a Unix socket file with mode 0660 (owner and group: the socket's mode is
// who may connect). A socket file left by a process that died (nothing accepts on it) is removed
// first; any other kind of file at the path is not touched, and listening fails.
void open_acceptor(local::acceptor& acceptor, asio::io_context&, const ServerOptions& options) {
  const std::filesystem::path path = options.unix_socket_path;
  std::error_code fs_error;
  const auto status = std::filesystem::symlink_status(path, fs_error);
  if (!fs_error && std::filesystem::exists(status)) {
    if (!std::filesystem::is_socket(status)) {
      throw std::runtime_error(listen_error(
          options, "the path exists and is not a socket; remove it or choose another"));
    }
    // A socket someone still accepts on is not stale: like a taken port, that fails the start.
    local::socket probe(acceptor.get_executor());
    boost::system::error_code refused;
    probe.connect(local::endpoint(path.string()), refused);
    if (!refused) {
      throw std::runtime_error(listen_error(options, "another process is listening there"));
    }
    std::filesystem::remove(path, fs_error);
    if (fs_error) {
      throw std::runtime_error(
          listen_error(options, "cannot remove the stale socket: " + fs_error.message()));
    }
  }
  boost::system::error_code ec;
  acceptor.open(local(), ec);
  if (!ec) acceptor.bind(local::endpoint(path.string()), ec);
  // Before listen(): until then a connect is refused, so no client gets in under the mode the
  // umask gave the file. (Changing the umask instead would touch every thread's files.)
  if (!ec && ::chmod(path.c_str(), 0660) != 0) {
    ec = boost::system::error_code(errno, boost::system::system_category());
  }
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error(listen_error(options, ec.message()));
}

unsigned short bound_port(const tcp::acceptor& acceptor) {
  return acceptor.local_endpoint().port();
}
unsigned short bound_port(const local::acceptor&) {
  return 0;
}

// Protocol: tcp (plain or TLS) or local (a Unix socket, plain).
template <class Protocol>
class BeastHttpServer final : public HttpServer {
  static constexpr bool kLocal = std::is_same_v<Protocol, local>;

 public:
  BeastHttpServer(const ServerOptions& options, std::shared_ptr<const Router> router,
                  RequestObserver observer)
      : state_(std::make_shared<ServerState>(options, std::move(router), std::move(observer))),
        tls_(kLocal ? nullptr : tls_context(options)),
        acceptor_(asio::make_strand(io_)),
        retry_timer_(acceptor_.get_executor()) {
    state_->answers->bind(io_.get_executor());
    open_acceptor(acceptor_, io_, options);
    port_ = bound_port(acceptor_);
  }

  ~BeastHttpServer() override {
    if (started_) stop(std::chrono::milliseconds(0));
    remove_socket_file();
  }
  BeastHttpServer(const BeastHttpServer&) = delete;
  BeastHttpServer& operator=(const BeastHttpServer&) = delete;

  void start() override {
    started_ = true;
    asio::post(acceptor_.get_executor(), [this] { accept(); });
    unsigned n = state_->options.io_threads;
    if (n == 0) n = std::max(1u, std::thread::hardware_concurrency());
    running_.store(static_cast<int>(n));
    for (unsigned i = 0; i < n; ++i) {
      threads_.emplace_back([this] {
        ops::name_this_thread("ttb-io");
        run_io();
        running_.fetch_sub(1);
      });
    }
  }

  void stop(std::chrono::milliseconds grace) override {
    if (!started_) return;
    started_ = false;
    const auto deadline = Clock::now() + grace;
    state_->stopping.store(true);
    std::promise<void> closed;
    asio::post(acceptor_.get_executor(), [this, &closed] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      retry_timer_.cancel();
      closed.set_value();
    });
    closed.get_future().wait();
    remove_socket_file();

    for (auto& connection : state_->open_connections()) connection->close_if_idle();
    while (state_->in_flight.load() > 0 && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    for (auto& connection : state_->open_connections()) connection->close_now();
    // A handler still running is waited for: it may use what the caller destroys next. So is
    // the answer of an async handler that returned, while the I/O threads still run to send it.
    state_->workers.stop();
    state_->wait_for_answers();

    work_.reset();
    const auto drain_deadline = Clock::now() + kDrainIo;
    while (running_.load() > 0 && Clock::now() < drain_deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    io_.stop();
    for (auto& thread : threads_) thread.join();
    threads_.clear();
  }

  unsigned short port() const override { return port_; }

 private:
  // The I/O loop, until the server stops. Handlers are written not to throw; one that does
  // anyway loses its own operation (its connection closes as the handler's state goes away), not
  // the thread and not the process: Asio lets run() go on after an exception leaves it.
  void run_io() {
    for (;;) {
      try {
        io_.run();
        return;
      } catch (const std::exception& e) {
        ops::log_error("io_handler_failed", {{"error", e.what()}});
      } catch (...) {
        ops::log_error("io_handler_failed", {{"error", "non-standard exception"}});
      }
    }
  }

  void accept() {
    acceptor_.async_accept(asio::make_strand(io_),
                           [this](boost::system::error_code ec, typename Protocol::socket socket) {
                             on_accept(ec, std::move(socket));
                           });
  }

  void on_accept(boost::system::error_code ec, typename Protocol::socket socket) {
    if (ec == asio::error::operation_aborted || state_->stopping.load()) return;
    if (ec) {
      ops::log_warn("accept_failed", {{"error", ec.message()}});
      retry_timer_.expires_after(kAcceptRetry);
      retry_timer_.async_wait([this](boost::system::error_code e) {
        if (!e) accept();
      });
      return;
    }
    if (auto peer = peer_of(socket)) {
      if (state_->limits.try_open(peer->address)) {
        // Whatever fails in setting up one connection drops that client alone: thrown on to
        // run_io, it would skip the accept() below and leave the listener deaf for good.
        try {
          serve(std::move(socket), *peer);
        } catch (const std::exception& e) {
          ops::log_error("connection_setup_failed",
                         {{"address", peer->address}, {"error", e.what()}});
        }
      } else {
        log_refusal(peer->address);
        socket.close(ec);
      }
    }
    accept();
  }

  // The socket file goes with the listener, so the next start finds the path free.
  void remove_socket_file() {
    if constexpr (kLocal) {
      std::error_code ignored;
      std::filesystem::remove(state_->options.unix_socket_path, ignored);
    }
  }

  void serve(typename Protocol::socket socket, Peer peer) {
    if constexpr (kLocal) {
      serve_local_connection(std::move(socket), std::move(peer.address), std::move(peer.remote),
                             state_);
    } else if (tls_) {
      serve_tls_connection(std::move(socket), std::move(peer.address), std::move(peer.remote),
                           state_, *tls_);
    } else {
      serve_plain_connection(std::move(socket), std::move(peer.address), std::move(peer.remote),
                             state_);
    }
  }

  void log_refusal(const std::string& address) {
    ++refused_;
    const auto now = Clock::now();
    if (last_refusal_log_ && now - *last_refusal_log_ < kRefusalLogEvery) return;
    last_refusal_log_ = now;
    ops::log_warn("connection_refused",
                  {{"address", address},
                   {"refused", refused_},
                   {"detail", "server.max_connections or server.max_connections_per_ip reached"}});
  }

  std::shared_ptr<ServerState> state_;
  std::unique_ptr<asio::ssl::context> tls_;  // outlives io_: TLS connections use it
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{io_.get_executor()};
  typename Protocol::acceptor acceptor_;
  asio::steady_timer retry_timer_;
  std::vector<std::thread> threads_;
  std::atomic<int> running_{0};
  unsigned short port_ = 0;
  bool started_ = false;
  // Touched only on the acceptor's strand.
  std::uint64_t refused_ = 0;
  std::optional<Clock::time_point> last_refusal_log_;
};

}  // namespace

std::unique_ptr<HttpServer> make_http_server(const ServerOptions& options,
                                             std::shared_ptr<const Router> router,
                                             RequestObserver observer) {
  if (!options.unix_socket_path.empty()) {
    return std::make_unique<BeastHttpServer<local>>(options, std::move(router),
                                                    std::move(observer));
  }
  return std::make_unique<BeastHttpServer<tcp>>(options, std::move(router), std::move(observer));
}

}  // namespace ttb::net
