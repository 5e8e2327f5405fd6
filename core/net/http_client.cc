#include "net/http_client.h"

#include <poll.h>

#include <functional>
#include <map>
#include <mutex>
#include <vector>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/URI.h>

#include "net/client_target.h"
#include "net/exchange_deadline.h"
#include "net/idle_pool.h"
#include "net/tls_trust.h"

namespace ttb::net {
namespace {

// An HTTPS session that hands its socket to `connected` between the TCP connection and the TLS
// handshake, so that the exchange's deadline covers the handshake too: Poco's timeouts are per
// read, and a server (or a man in the middle) that sends its certificate a byte at a time would
// hold the caller without end. Poco's own connect() does both in one call. No TLS session cache,
// as this client uses none.
class WatchedHttpsSession final : public Poco::Net::HTTPSClientSession {
 public:
  WatchedHttpsSession(const std::string& host, Poco::UInt16 port, Poco::Net::Context::Ptr tls)
      : HTTPSClientSession(host, port, tls), tls_(std::move(tls)) {}
  std::function<void(int fd)> connected;  // set for one exchange at a time

 protected:
  void connect(const Poco::Net::SocketAddress& address) override {
    // Through a proxy (none is set today), Poco's own: it tunnels, then shakes hands.
    if (!getProxyHost().empty() && !bypassProxy()) return HTTPSClientSession::connect(address);
    const Poco::Timespan timeout = getTimeout();  // the client sets all three alike
    Poco::Net::StreamSocket plain;
    plain.connect(address, timeout);
    plain.setReceiveTimeout(timeout);
    plain.setSendTimeout(timeout);
    plain.setNoDelay(true);
    if (connected) connected(plain.impl()->sockfd());
    attachSocket(Poco::Net::SecureStreamSocket::attach(plain, getHost(), tls_));
    // As HTTPSession::connect does: what a previous connection left unread is not this one's.
    Poco::Buffer<char> leftover(0);
    drainBuffer(leftover);
  }

 private:
  Poco::Net::Context::Ptr tls_;  // the base class keeps its own, but shows it to no one
};

// Kept-alive sessions, one pool per scheme://host:port. A session is lent to one request at a
// time and returned only after a complete, successful exchange.
class PocoHttpClient final : public HttpClient {
 public:
  explicit PocoHttpClient(const HttpClientOptions& options) : options_(options) {
    if (options_.verify_tls) {
      // The trust store is the process's one (net/tls_trust.h), not a copy parsed for Poco.
      tls_ = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                                    Poco::Net::Context::VERIFY_RELAXED, 9, false);
      trust_certificates(tls_->sslContext(), options_.ca_file);
    } else {
      tls_ = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                                    Poco::Net::Context::VERIFY_NONE, 9, false);
    }
  }

  ClientResponse send(const ClientRequest& request) override {
    ClientResponse response;
    const std::optional<ClientTarget> target = client_target(request.url, response.error);
    if (!target) return response;
    response.error = unsendable_headers(request.headers);
    if (!response.error.empty()) return response;

    const auto deadline = ExchangeDeadlines::Clock::now() + request.timeout;
    std::unique_ptr<Poco::Net::HTTPClientSession> session = take(target->pool_key);
    if (!session) session = open(*target);
    const Poco::Timespan timeout(
        std::chrono::duration_cast<std::chrono::microseconds>(request.timeout).count());
    session->setTimeout(timeout, timeout, timeout);

    ExchangeDeadlines::Watch watch;
    const auto timed_out = [&request] {
      ClientResponse out;
      out.error = "timeout after " + std::to_string(request.timeout.count()) + " ms";
      return out;
    };
    bool whole = false;  // the body was as long as its Content-Length said
    try {
      exchange(*session, *target, request, deadline, watch, response, whole);
      // Shut down at the deadline, the socket may have ended a body without a length early; one
      // whose length checked out is whole, read just before. Either way the session is spent.
      if (watch.disarm()) return whole ? response : timed_out();
    } catch (const Poco::TimeoutException&) {
      return timed_out();
    } catch (const Poco::Exception& e) {
      if (watch.disarm()) return timed_out();
      response = ClientResponse{};
      response.error = e.displayText();
      return response;
    } catch (const std::exception& e) {
      if (watch.disarm()) return timed_out();
      response = ClientResponse{};
      response.error = e.what();
      return response;
    }
    if (response.status != 0 && response.error.empty())
      give_back(target->pool_key, std::move(session));
    return response;
  }

 private:
  std::unique_ptr<Poco::Net::HTTPClientSession> open(const ClientTarget& target) {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (target.tls) {
      session = std::make_unique<WatchedHttpsSession>(target.host, target.port, tls_);
    } else {
      session = std::make_unique<Poco::Net::HTTPClientSession>(target.host, target.port);
    }
    // Without this Poco sends "Connection: close" and reconnects for every request, whatever the
    // request's own keep-alive flag says.
    session->setKeepAlive(true);
    return session;
  }

  // An idle kept-alive connection has nothing to read; if it has, the server closed it (or sent
  // junk) while it sat in the pool, and a request written to it would fail. poll(2) itself:
  // Poco's Socket::poll creates, arms and closes an epoll instance on every call (four system
  // calls and a descriptor for each request that reuses a connection).
  static bool still_usable(Poco::Net::HTTPClientSession& session) {
    if (!session.connected()) return false;
    pollfd idle{};
    idle.fd = session.socket().impl()->sockfd();
    idle.events = POLLIN | POLLRDHUP;  // POLLERR and POLLHUP are always reported
    return ::poll(&idle, 1, 0) == 0;
  }

  void exchange(Poco::Net::HTTPClientSession& session, const ClientTarget& target,
                const ClientRequest& request, ExchangeDeadlines::Clock::time_point deadline,
                ExchangeDeadlines::Watch& watch, ClientResponse& response, bool& whole) {
    Poco::Net::HTTPRequest out(request.method, target.path_etc, Poco::Net::HTTPMessage::HTTP_1_1);
    out.setKeepAlive(true);
    for (const auto& [k, v] : request.headers) out.set(k, v);
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT" ||
        request.method == "PATCH") {
      out.setContentLength64(static_cast<Poco::Int64>(request.body.size()));
    }
    // sendRequest connects a session that is not (a new one, or one whose connection the server
    // ended): the deadline holds from the TCP connection on, the TLS handshake included. The
    // connection itself is under Poco's connection timeout, one wait.
    struct Reporting {  // the session reports its connection to this exchange only
      WatchedHttpsSession* https;
      ~Reporting() {
        if (https != nullptr) https->connected = nullptr;
      }
    } reporting{dynamic_cast<WatchedHttpsSession*>(&session)};
    if (reporting.https != nullptr)
      reporting.https->connected = [&](int fd) { watch = deadlines_.arm(fd, deadline); };
    std::ostream& body_out = session.sendRequest(out);
    if (!watch) watch = deadlines_.arm(session.socket().impl()->sockfd(), deadline);
    body_out.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));

    Poco::Net::HTTPResponse in;
    std::istream& body_in = session.receiveResponse(in);
    char buf[16384];
    while (body_in) {
      body_in.read(buf, sizeof buf);
      std::streamsize n = body_in.gcount();
      if (n <= 0) break;
      if (response.body.size() + static_cast<std::size_t>(n) > request.max_response_bytes) {
        session.reset();
        response = ClientResponse{};
        response.error =
            "response exceeds " + std::to_string(request.max_response_bytes) + " bytes";
        return;
      }
      response.body.append(buf, static_cast<std::size_t>(n));
    }
    // The stream swallows socket errors (a timeout mid-body sets badbit) and a closed connection
    // looks like a short body: neither may pass as a complete answer.
    if (body_in.bad()) {
      if (const Poco::Exception* cause = session.networkException()) cause->rethrow();
      throw Poco::Net::NetException("error reading the response body");
    }
    if (in.hasContentLength() &&
        static_cast<Poco::Int64>(response.body.size()) != in.getContentLength64()) {
      throw Poco::Net::NetException("connection closed after " +
                                    std::to_string(response.body.size()) + " of " +
                                    std::to_string(in.getContentLength64()) + " body bytes");
    }
    whole = in.hasContentLength();
    response.status = static_cast<int>(in.getStatus());
    for (const auto& [k, v] : in) response.headers.emplace_back(k, v);
    if (!in.getKeepAlive()) session.reset();
  }

  // A pooled session that is still usable, else nothing. Checked outside the lock, so that other
  // requests take and give back sessions meanwhile.
  std::unique_ptr<Poco::Net::HTTPClientSession> take(const std::string& key) {
    for (;;) {
      std::unique_ptr<Poco::Net::HTTPClientSession> session;
      {
        std::lock_guard lock(mutex_);
        session = idle_.take(key);
      }
      if (!session || still_usable(*session)) return session;
    }
  }

  void give_back(const std::string& key, std::unique_ptr<Poco::Net::HTTPClientSession> session) {
    std::lock_guard lock(mutex_);
    idle_.give_back(key, std::move(session));
  }

  HttpClientOptions options_;
  ExchangeDeadlines deadlines_;
  Poco::Net::Context::Ptr tls_;
  std::mutex mutex_;
  IdlePool<Poco::Net::HTTPClientSession> idle_{options_.max_idle_per_host, options_.max_idle_total};
};

}  // namespace

void HttpClient::send_async(ClientRequest request, std::function<void(ClientResponse)> done) {
  // By value for the clients that keep both until the answer; here they are only moved.
  const ClientRequest sent = std::move(request);
  const std::function<void(ClientResponse)> answer = std::move(done);
  answer(send(sent));
}

std::unique_ptr<HttpClient> make_http_client(const HttpClientOptions& options) {
  return std::make_unique<PocoHttpClient>(options);
}

std::string redact_url(const std::string& url) {
  try {
    Poco::URI uri(url);
    uri.setUserInfo("");
    uri.setQuery("");
    return uri.toString();
  } catch (const Poco::Exception&) {
    return "<invalid url>";
  }
}

}  // namespace ttb::net
