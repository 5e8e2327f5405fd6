// Routes that answer later (Router::add_async): the answer reaches the caller from whichever thread
// gives it, once; a handler that throws or drops its answer gives 500 instead of a hung caller;
// the handler runs on the I/O thread, so no worker is held, or needed, while the answer is
// awaited; and a stop waits for an awaited answer.
#include <pthread.h>

#include <future>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "loopback.h"
#include "net/http_server.h"

namespace ttb::net {
namespace {

using namespace std::chrono_literals;
using testing::eventually;
using testing::Gate;
using testing::LoopbackServer;
using testing::RawConnection;
using testing::RawResponse;

std::string get(const std::string& target) {
  return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
}

// Keeps the Responds its handler was given, for the test to answer from its own thread.
class Parked {
 public:
  void park(Respond respond) {
    std::lock_guard lock(mutex_);
    waiting_.push_back(std::move(respond));
  }
  std::size_t size() {
    std::lock_guard lock(mutex_);
    return waiting_.size();
  }
  Respond take(std::size_t i) {
    std::lock_guard lock(mutex_);
    return waiting_.at(i);
  }
  void drop_all() {
    std::lock_guard lock(mutex_);
    waiting_.clear();
  }

 private:
  std::mutex mutex_;
  std::vector<Respond> waiting_;
};

TEST(HttpServerAsync, AnswerGivenLaterFromAnotherThreadReachesTheCaller) {
  Parked parked;
  std::string seen_id;
  auto router = std::make_shared<Router>();
  router->add_async("GET", "/later/{id}", [&](Request& r, Respond respond) {
    seen_id = r.params.at("id");
    parked.park(std::move(respond));
  });
  LoopbackServer server(router);
  RawConnection conn(server.port());
  conn.send(get("/later/a7"));
  ASSERT_TRUE(eventually([&] { return parked.size() == 1; }));
  EXPECT_EQ(seen_id, "a7");
  std::thread([respond = parked.take(0)] {
    respond(Response::json(202, R"({"id":"a7"})"));
  }).join();
  RawResponse response = conn.read_response();
  ASSERT_EQ(response.error, "");
  EXPECT_EQ(response.status, 202);
  EXPECT_EQ(response.body, R"({"id":"a7"})");
  EXPECT_FALSE(response.headers["x-request-id"].empty());
}

TEST(HttpServerAsync, OnlyTheFirstAnswerCountsAndTheConnectionServesTheNextRequest) {
  auto router = std::make_shared<Router>();
  router->add_async("GET", "/twice", [](Request&, Respond respond) {
    respond(Response::text(200, "first"));
    respond(Response::text(500, "second"));
  });
  LoopbackServer server(router);
  RawConnection conn(server.port());
  for (int i = 0; i < 2; ++i) {
    conn.send(get("/twice"));
    RawResponse response = conn.read_response();
    ASSERT_EQ(response.error, "");
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "first");
  }
}

TEST(HttpServerAsync, AHandlerThatThrowsOrDropsItsAnswerGives500) {
  Parked parked;
  auto router = std::make_shared<Router>();
  router->add_async("GET", "/throws",
                    [](Request&, Respond) { throw std::runtime_error("no luck"); });
  router->add_async("GET", "/drops", [&](Request&, Respond respond) { parked.park(respond); });
  LoopbackServer server(router);

  RawConnection thrown(server.port());
  thrown.send(get("/throws"));
  EXPECT_EQ(thrown.read_response().status, 500);

  RawConnection dropped(server.port());
  dropped.send(get("/drops"));
  ASSERT_TRUE(eventually([&] { return parked.size() == 1; }));
  parked.drop_all();  // the last copy of its Respond goes, unanswered
  RawResponse response = dropped.read_response();
  ASSERT_EQ(response.error, "");
  EXPECT_EQ(response.status, 500);
}

// A handler waiting on something that never answers (a hung database) does not hold its client
// for good: request_timeout after the request arrived, the client gets a retryable 503 in its
// place, the late answer is dropped, and the connection serves its next request.
TEST(HttpServerAsync, AnAnswerNotGivenInTimeIsARetryable503AndTheLateOneIsDropped) {
  Parked parked;
  auto router = std::make_shared<Router>();
  router->add_async("GET", "/hangs", [&](Request&, Respond respond) { parked.park(respond); });
  router->add("GET", "/ping", [](Request&) { return Response::text(200, "pong"); });
  ServerOptions options;
  options.request_timeout = std::chrono::milliseconds(300);
  LoopbackServer server(router, options);
  RawConnection conn(server.port());
  conn.send(get("/hangs"));
  RawResponse late = conn.read_response();
  ASSERT_EQ(late.error, "");
  EXPECT_EQ(late.status, 503);
  EXPECT_EQ(late.headers["retry-after"], "5");
  ASSERT_EQ(parked.size(), 1U);
  parked.take(0)(Response::text(200, "too late"));  // dropped: the client has its answer
  conn.send(get("/ping"));
  RawResponse next = conn.read_response();
  EXPECT_EQ(next.status, 200);
  EXPECT_EQ(next.body, "pong") << "the late answer was not taken for the next request's";
}

TEST(HttpServerAsync, AwaitedAnswersHoldNoWorker) {
  Parked parked;
  auto router = std::make_shared<Router>();
  router->add_async("GET", "/wait", [&](Request&, Respond respond) { parked.park(respond); });
  ServerOptions options;
  options.threads = 1;  // one worker: a handler that held it would stall every other request
  LoopbackServer server(router, options);

  std::vector<std::unique_ptr<RawConnection>> waiting;
  for (int i = 0; i < 8; ++i) {
    waiting.push_back(std::make_unique<RawConnection>(server.port()));
    waiting.back()->send(get("/wait"));
  }
  ASSERT_TRUE(eventually([&] { return parked.size() == 8; }))
      << "all eight reached the handler, none holding the one worker";
  for (std::size_t i = 0; i < 8; ++i) parked.take(i)(Response::text(200, std::to_string(i)));
  std::set<std::string> bodies;
  for (auto& conn : waiting) {
    RawResponse response = conn->read_response();
    EXPECT_EQ(response.status, 200) << response.error;
    bodies.insert(response.body);
  }
  EXPECT_EQ(bodies.size(), 8u);
}

TEST(HttpServerAsync, TheHandlerRunsOnTheIoThreadSoBusyWorkersDoNotDelayIt) {
  Gate entered, release;
  std::mutex mutex;
  std::string handler_thread;
  auto router = std::make_shared<Router>();
  router->add("GET", "/hold", [&](Request&) {
    entered.open();
    release.wait();
    return Response::text(200, "held");
  });
  router->add_async("GET", "/now", [&](Request&, Respond respond) {
    char name[16] = {};
    pthread_getname_np(pthread_self(), name, sizeof name);
    {
      std::lock_guard lock(mutex);
      handler_thread = name;
    }
    respond(Response::text(200, "now"));
  });
  ServerOptions options;
  options.threads = 1;
  options.max_queued = 0;  // a request that needed a worker now would get 503
  LoopbackServer server(router, options);
  auto holding = std::async(std::launch::async, [port = server.port()] {
    RawConnection conn(port);
    conn.send(get("/hold"));
    return conn.read_response();
  });
  ASSERT_TRUE(entered.wait());

  RawConnection conn(server.port());
  conn.send(get("/now"));
  RawResponse response = conn.read_response();
  EXPECT_EQ(response.status, 200) << response.error;
  EXPECT_EQ(response.body, "now");
  EXPECT_FALSE(release.is_open()) << "answered while the only worker was still held";
  {
    std::lock_guard lock(mutex);
    EXPECT_EQ(handler_thread, "ttb-io");
  }
  release.open();
  EXPECT_EQ(holding.get().status, 200);
}

TEST(HttpServerAsync, StopWaitsForAnAwaitedAnswerAndSendsIt) {
  Parked parked;
  auto router = std::make_shared<Router>();
  router->add_async("GET", "/wait", [&](Request&, Respond respond) { parked.park(respond); });
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  auto server = make_http_server(options, router, {});
  server->start();
  RawConnection conn(server->port());
  conn.send(get("/wait"));
  ASSERT_TRUE(eventually([&] { return parked.size() == 1; }));

  auto stopping = std::async(std::launch::async, [&] { server->stop(10s); });
  EXPECT_EQ(stopping.wait_for(200ms), std::future_status::timeout)
      << "stop waits for the awaited answer";
  parked.take(0)(Response::text(200, "in time"));
  ASSERT_EQ(stopping.wait_for(10s), std::future_status::ready);
  RawResponse response = conn.read_response();
  EXPECT_EQ(response.status, 200) << response.error;
  EXPECT_EQ(response.body, "in time");
}

}  // namespace
}  // namespace ttb::net
