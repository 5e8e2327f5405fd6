// The inbound server under slow and numerous clients, over real loopback sockets: each deadline
// (header, idle) closes the connection it guards, the connection caps refuse the extra
// connection, idle connections do not hold up anybody else, a full worker queue answers 503,
// and a stop lets a request that is still arriving finish. Deadline checks are generous upper
// bounds ("closed within the deadline plus 2 s"), never speed assertions.
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include "loopback.h"
#include "net/http_server.h"

namespace ttb::net {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using testing::eventually;
using testing::Gate;
using testing::LoopbackServer;
using testing::RawConnection;
using testing::RawResponse;

constexpr auto kSlack = 2s;  // scheduling slack on a busy machine, added to every deadline

std::shared_ptr<Router> ping_router() {
  auto router = std::make_shared<Router>();
  router->add("GET", "/ping", [](Request&) { return Response::text(200, "pong"); });
  router->add("POST", "/in", [](Request& r) { return Response::text(200, r.body); });
  return router;
}

std::string get_ping() {
  return "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n";
}

// A client socket that can tell, without blocking long, whether the server has closed it.
class Client {
 public:
  explicit Client(unsigned short port) : socket_(Poco::Net::SocketAddress("127.0.0.1", port)) {}

  // False once the server has closed (or reset) the connection.
  bool send(const std::string& bytes) {
    try {
      socket_.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
      return true;
    } catch (const Poco::Exception&) {
      return false;
    }
  }

  // Waits up to `wait` for the server to close; true when it did (EOF or reset).
  bool closed_within(std::chrono::milliseconds wait) {
    try {
      if (!socket_.poll(Poco::Timespan(wait.count() * 1000), Poco::Net::Socket::SELECT_READ)) {
        return false;
      }
      char buf[4096];
      return socket_.receiveBytes(buf, sizeof buf) <= 0;  // bytes of an answer: not closed
    } catch (const Poco::Exception&) {
      return true;
    }
  }

 private:
  Poco::Net::StreamSocket socket_;
};

TEST(HttpServerConnections, HeadersTrickledSlowerThanHeaderTimeoutAreCutOff) {
  ServerOptions options;
  options.header_timeout = 500ms;
  LoopbackServer server(ping_router(), options);
  Client client(server.port());
  const auto started = Clock::now();
  ASSERT_TRUE(client.send("GET /ping HTTP/1.1\r\n"));
  bool closed = false;
  // One more header line every 100 ms: always active, never complete.
  for (int i = 0; i < 100 && !closed; ++i) {
    closed = !client.send(std::string("X-Slow-") + std::to_string(i) + ": a\r\n") ||
             client.closed_within(100ms);
  }
  EXPECT_TRUE(closed) << "a client trickling its headers keeps the connection forever";
  EXPECT_LT(Clock::now() - started, options.header_timeout + kSlack);
}

TEST(HttpServerConnections, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
  ServerOptions options;
  options.idle_timeout = 500ms;
  LoopbackServer server(ping_router(), options);
  RawConnection conn(server.port());
  conn.send(get_ping());
  ASSERT_EQ(conn.read_response().status, 200);
  const auto answered = Clock::now();
  EXPECT_TRUE(conn.closed_by_server()) << "an idle keep-alive connection stays open";
  EXPECT_LT(Clock::now() - answered, options.idle_timeout + kSlack);
}

TEST(HttpServerConnections, ConnectionThatNeverSendsIsClosedAfterIdleTimeoutAndOthersAreServed) {
  ServerOptions options;
  options.idle_timeout = 500ms;
  LoopbackServer server(ping_router(), options);
  Client silent(server.port());
  const auto opened = Clock::now();
  // Another client's requests meanwhile: the silent one's wait holds no thread of theirs.
  RawConnection other(server.port());
  other.send(get_ping());
  ASSERT_EQ(other.read_response().status, 200);
  EXPECT_TRUE(silent.closed_within(options.idle_timeout + kSlack))
      << "a connection that never sends a byte stays open";
  EXPECT_LT(Clock::now() - opened, options.idle_timeout + kSlack);
}

TEST(HttpServerConnections, ARequestAfterAnIdlePauseIsServedOnTheSameConnection) {
  ServerOptions options;
  options.idle_timeout = 2s;
  LoopbackServer server(ping_router(), options);
  RawConnection conn(server.port());
  for (int i = 0; i < 3; ++i) {
    conn.send("POST /in HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" +
              std::string(5000, static_cast<char>('a' + i)));
    const RawResponse response = conn.read_response();
    ASSERT_EQ(response.status, 200) << response.error;
    EXPECT_EQ(response.body, std::string(5000, static_cast<char>('a' + i)))
        << "a body larger than the first read comes whole";
    std::this_thread::sleep_for(200ms);  // idle between requests, under the idle timeout
  }
}

TEST(HttpServerConnections, TwoHundredIdleConnectionsDoNotHoldUpAnotherClient) {
  LoopbackServer server(ping_router());
  std::vector<std::unique_ptr<Client>> idle;
  for (int i = 0; i < 200; ++i) {
    idle.push_back(std::make_unique<Client>(server.port()));
    // Half send nothing, half start a request and stall inside its head.
    if (i % 2 == 1) idle.back()->send("GET /ping HTTP/1.1\r\nX-Stall: ");
  }
  RawConnection other(server.port());  // its reads give up after 10 s
  other.send(get_ping());
  RawResponse response = other.read_response();
  EXPECT_EQ(response.status, 200) << response.error;
  EXPECT_EQ(response.body, "pong");
}

TEST(HttpServerConnections, ConnectionsPastThePerAddressCapAreRefused) {
  ServerOptions options;
  options.max_connections_per_ip = 3;
  LoopbackServer server(ping_router(), options);
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<RawConnection>(server.port()));
    held.back()->send(get_ping());
    ASSERT_EQ(held.back()->read_response().status, 200);
  }
  RawConnection extra(server.port());
  EXPECT_TRUE(extra.closed_by_server()) << "a fourth connection from one address was kept";
  for (auto& conn : held) {  // the held ones still work
    conn->send(get_ping());
    EXPECT_EQ(conn->read_response().status, 200);
  }
  held.pop_back();  // one closes: a new one may come in
  EXPECT_TRUE(eventually([&] {
    RawConnection again(server.port());
    again.send(get_ping());
    return again.read_response().status == 200;
  }));
}

TEST(HttpServerConnections, ConnectionsPastTheTotalCapAreRefused) {
  ServerOptions options;
  options.max_connections = 2;
  LoopbackServer server(ping_router(), options);
  RawConnection first(server.port());
  RawConnection second(server.port());
  for (RawConnection* conn : {&first, &second}) {
    conn->send(get_ping());
    ASSERT_EQ(conn->read_response().status, 200);
  }
  RawConnection extra(server.port());
  EXPECT_TRUE(extra.closed_by_server());
}

TEST(HttpServerConnections, BusyWorkersWithAFullQueueAnswer503WithRetryAfter) {
  Gate entered, release;
  auto router = std::make_shared<Router>();
  router->add("GET", "/hold", [&](Request&) {
    entered.open();
    release.wait();
    return Response::text(200, "held");
  });
  router->add("GET", "/ping", [](Request&) { return Response::text(200, "pong"); });
  ServerOptions options;
  options.threads = 1;
  options.max_queued = 0;  // nothing may wait: the one worker is the whole capacity
  LoopbackServer server(router, options);
  auto running = std::async(std::launch::async, [port = server.port()] {
    RawConnection conn(port);
    conn.send("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n");
    return conn.read_response();
  });
  ASSERT_TRUE(entered.wait());
  RawConnection refused(server.port());
  refused.send(get_ping());
  RawResponse busy = refused.read_response();
  EXPECT_EQ(busy.status, 503) << busy.error;
  EXPECT_EQ(busy.headers["retry-after"], "1");
  release.open();
  EXPECT_EQ(running.get().status, 200);
  EXPECT_TRUE(eventually([&] {
    refused.send(get_ping());
    return refused.read_response().status == 200;
  })) << "the same connection is served once the worker is free";
}

bool can_connect(unsigned short port) {
  try {
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
    return true;
  } catch (const Poco::Exception&) {
    return false;
  }
}

TEST(HttpServerConnections, StopFinishesARequestWhoseBodyIsStillArriving) {
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  auto server = make_http_server(options, ping_router(), {});
  server->start();
  const unsigned short port = server->port();
  RawConnection conn(port);
  // "100 Continue" tells us the server has read the head: the request is in flight.
  conn.send("POST /in HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n");
  ASSERT_EQ(conn.read_response().status, 100);
  auto stopping = std::async(std::launch::async, [&] { server->stop(10s); });
  ASSERT_TRUE(eventually([&] { return !can_connect(port); })) << "the stop has begun";
  conn.send("helloworld");
  RawResponse response = conn.read_response();
  EXPECT_EQ(response.status, 200) << response.error;
  EXPECT_EQ(response.body, "helloworld");
  EXPECT_TRUE(iequals(response.headers["connection"], "close"))
      << "a stopping server does not keep the connection";
  EXPECT_EQ(stopping.wait_for(10s), std::future_status::ready);
}

}  // namespace
}  // namespace ttb::net
