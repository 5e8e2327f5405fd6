#include "net/http_server.h"

#include <atomic>
#include <cctype>
#include <istream>
#include <stdexcept>
#include <thread>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include "ops/log.h"
#include "ops/request_id.h"

namespace ttb::net {
namespace {

using Clock = std::chrono::steady_clock;

// An incoming X-Request-Id is kept when it is short and plain, so a caller can follow its request
// through our logs; anything else is replaced.
bool acceptable_request_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

struct Shared {
  ServerOptions options;
  std::shared_ptr<const Router> router;
  RequestObserver observer;
  std::atomic<int> in_flight{0};
};

class RouteHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit RouteHandler(Shared& shared) : shared_(shared) {}

  void handleRequest(Poco::Net::HTTPServerRequest& in,
                     Poco::Net::HTTPServerResponse& out) override {
    shared_.in_flight.fetch_add(1);
    const auto started = Clock::now();
    Request request;
    std::string route = "unmatched";
    Response response = serve(in, request, route);
    write(out, request, response, body_read_);
    if (!body_read_) linger(in);
    if (shared_.observer) {
      shared_.observer(
          request, route, response.status,
          std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started));
    }
    shared_.in_flight.fetch_sub(1);
  }

 private:
  Response serve(Poco::Net::HTTPServerRequest& in, Request& request, std::string& route) {
    request.method = in.getMethod();
    request.remote = in.clientAddress().toString();
    auto incoming_id = in.get("X-Request-Id", "");
    request.request_id = acceptable_request_id(incoming_id) ? incoming_id : ops::next_request_id();

    if (in.size() > shared_.options.max_header_count) {
      return Response::text(431, "too many header fields\n");
    }
    for (const auto& [name, value] : in) {
      if (name.size() + value.size() > shared_.options.max_header_bytes) {
        return Response::text(431, "header field too large\n");
      }
      request.headers.emplace_back(name, value);
    }

    try {
      Poco::URI uri(in.getURI());
      request.path = uri.getPath();
      for (auto& [k, v] : uri.getQueryParameters()) request.query[k] = v;
    } catch (const Poco::Exception&) {
      return Response::text(400, "malformed request target\n");
    }

    const std::size_t limit = shared_.options.max_body_bytes;
    if (in.hasContentLength() && in.getContentLength64() > static_cast<Poco::Int64>(limit)) {
      return Response::text(413, "request body exceeds " + std::to_string(limit) + " bytes\n");
    }
    if (!read_body(in.stream(), limit, request.body)) {
      return Response::text(413, "request body exceeds " + std::to_string(limit) + " bytes\n");
    }
    // A read error or an early end of stream leaves part of the body: never hand that on.
    const bool short_body =
        in.hasContentLength() &&
        static_cast<Poco::Int64>(request.body.size()) != in.getContentLength64();
    if (in.stream().bad() || short_body) {
      return Response::text(400, "incomplete request body\n");
    }
    body_read_ = true;

    Router::Match match = shared_.router->match(request);
    if (!match.handler) {
      if (match.method_mismatch) return Response::text(405, "method not allowed\n");
      return Response::text(404, "not found\n");
    }
    route = match.route;
    try {
      return (*match.handler)(request);
    } catch (const std::exception& e) {
      // A handler bug must not take the daemon down; the caller sees a 500 and we log why.
      ops::log_error("http_handler_failed",
                     {{"route", route}, {"request_id", request.request_id}, {"error", e.what()}});
      return Response::text(500, "internal error\n");
    } catch (...) {
      ops::log_error("http_handler_failed", {{"route", route},
                                             {"request_id", request.request_id},
                                             {"error", "non-standard exception"}});
      return Response::text(500, "internal error\n");
    }
  }

  // A refused body (413) may still be on its way. Closing now would make the kernel answer the
  // client's remaining bytes with a reset, and the client would report a broken pipe instead of
  // our status. So, like nginx's lingering close: stop sending, then read and drop what the
  // client still sends, bounded in bytes and time.
  static void linger(Poco::Net::HTTPServerRequest& in) {
    auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&in);
    if (impl == nullptr) return;
    constexpr std::size_t kMaxBytes = 16 << 20;
    const auto deadline = Clock::now() + std::chrono::seconds(2);
    try {
      Poco::Net::StreamSocket& socket = impl->socket();
      socket.shutdownSend();
      socket.setReceiveTimeout(Poco::Timespan(200 * Poco::Timespan::MILLISECONDS));
      char buf[16384];
      std::size_t drained = 0;
      while (drained < kMaxBytes && Clock::now() < deadline) {
        const int n = socket.receiveBytes(buf, sizeof buf);
        if (n <= 0) break;
        drained += static_cast<std::size_t>(n);
      }
    } catch (const Poco::Exception&) {
      // A timeout or a reset: the client is done either way.
    }
  }

  static bool read_body(std::istream& stream, std::size_t limit, std::string& body) {
    char buf[16384];
    while (stream) {
      stream.read(buf, sizeof buf);
      std::streamsize n = stream.gcount();
      if (n <= 0) break;
      if (body.size() + static_cast<std::size_t>(n) > limit) return false;
      body.append(buf, static_cast<std::size_t>(n));
    }
    return true;
  }

  static void write(Poco::Net::HTTPServerResponse& out, const Request& request,
                    const Response& response, bool body_read) {
    out.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status));
    // Unread body bytes would be parsed as the next request (smuggling): close instead.
    if (!body_read) out.setKeepAlive(false);
    out.setContentType(response.content_type);
    out.set("X-Request-Id", request.request_id);
    for (const auto& [k, v] : response.headers) out.set(k, v);
    out.setContentLength64(static_cast<Poco::Int64>(response.body.size()));
    // send() + flush puts the whole answer on the wire now (sendBuffer would hold it until the
    // handler returns), so linger() can follow it.
    std::ostream& body = out.send();
    body.write(response.body.data(), static_cast<std::streamsize>(response.body.size()));
    body.flush();
  }

  Shared& shared_;
  bool body_read_ = false;  // the whole body was consumed, so the connection may be kept
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(Shared& shared) : shared_(shared) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new RouteHandler(shared_);
  }

 private:
  Shared& shared_;
};

class PocoHttpServer final : public HttpServer {
 public:
  PocoHttpServer(const ServerOptions& options, std::shared_ptr<const Router> router,
                 RequestObserver observer)
      : shared_(std::make_unique<Shared>()),
        pool_("http", 2, static_cast<int>(std::max(2u, options.threads))) {
    shared_->options = options;
    shared_->router = std::move(router);
    shared_->observer = std::move(observer);
    Poco::Net::SocketAddress address(options.host, options.port);
    // SO_REUSEADDR only: Poco's default also sets SO_REUSEPORT, which lets a second daemon bind
    // the same port silently and share its traffic instead of failing at start-up.
    socket_.bind(address, true, false);
    socket_.listen(1024);
    port_ = socket_.address().port();

    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(static_cast<int>(std::max(2u, options.threads)));
    params->setMaxQueued(static_cast<int>(options.max_queued));
    params->setKeepAlive(true);
    params->setMaxKeepAliveRequests(0);  // unlimited per connection
    params->setKeepAliveTimeout(Poco::Timespan(static_cast<long>(options.read_timeout.count()), 0));
    params->setTimeout(Poco::Timespan(static_cast<long>(options.read_timeout.count()), 0));
    server_ =
        std::make_unique<Poco::Net::HTTPServer>(new Factory(*shared_), pool_, socket_, params);
  }

  ~PocoHttpServer() override {
    if (started_) stop(std::chrono::milliseconds(0));
  }

  void start() override {
    server_->start();
    started_ = true;
  }

  void stop(std::chrono::milliseconds grace) override {
    if (!started_) return;
    started_ = false;
    server_->stop();  // stop accepting new connections
    // Poco leaves the listening socket open, so the kernel would still complete handshakes that
    // nobody accepts; closing it makes new callers see a refusal at once.
    socket_.close();
    const auto deadline = Clock::now() + grace;
    while (shared_->in_flight.load() > 0 && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    server_->stopAll(true);  // close idle keep-alive connections
    pool_.joinAll();
  }

  unsigned short port() const override { return port_; }

 private:
  std::unique_ptr<Shared> shared_;
  Poco::ThreadPool pool_;
  Poco::Net::ServerSocket socket_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  unsigned short port_ = 0;
  bool started_ = false;
};

}  // namespace

std::unique_ptr<HttpServer> make_http_server(const ServerOptions& options,
                                             std::shared_ptr<const Router> router,
                                             RequestObserver observer) {
  try {
    return std::make_unique<PocoHttpServer>(options, std::move(router), std::move(observer));
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("cannot listen on " + options.host + ":" +
                             std::to_string(options.port) + ": " + e.displayText());
  }
}

}  // namespace ttb::net
