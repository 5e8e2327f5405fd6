#pragma once
// Loopback test plumbing for the net tests: a started server on an ephemeral port, a one-shot gate
// that parks a handler until the test releases it, a raw socket for bytes no well-behaved client
// sends, a throwaway TLS certificate, and polling with a deadline instead of sleeps.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include "net/http_server.h"
#include "net/router.h"

namespace ttb::net::testing {

using namespace std::chrono_literals;

// Opens once; every waiter (now or later) passes. wait() gives up after `limit` so a broken test
// fails instead of hanging the suite.
class Gate {
 public:
  void open();
  bool wait(std::chrono::milliseconds limit = 10s);
  bool is_open();

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = false;
};

// Polls `condition` until it holds or `limit` passes.
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit = 10s);

// A port on 127.0.0.1 that was just bound and released, so nothing listens on it.
unsigned short closed_port();

// make_http_server on 127.0.0.1:0 with the given router; stopped on destruction.
class LoopbackServer {
 public:
  explicit LoopbackServer(std::shared_ptr<Router> router, ServerOptions options = {},
                          RequestObserver observer = {});
  ~LoopbackServer();

  unsigned short port() const { return port_; }
  std::string url(const std::string& path_etc) const;
  HttpServer& server() { return *server_; }

 private:
  std::unique_ptr<HttpServer> server_;
  unsigned short port_ = 0;
};

struct RawResponse {
  int status = 0;                              // 0: nothing parseable arrived (see error)
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string error;
};

// One TCP connection that writes exactly the bytes given and parses Content-Length responses.
class RawConnection {
 public:
  explicit RawConnection(unsigned short port);
  void send(const std::string& bytes);
  // Half-closes: the server reads end-of-stream, the answer can still come back.
  void finish_sending();
  RawResponse read_response();
  // True when the server closed the connection (EOF or reset) within the socket's timeout.
  bool closed_by_server();

 private:
  bool fill();  // reads more into buffer_; false on EOF/error

  Poco::Net::StreamSocket socket_;
  std::string buffer_;
};

// A self-signed certificate for 127.0.0.1 (its subject and an IP address in its alternative
// names) and its key, made with the openssl command in a directory of its own and removed with
// it; no key is checked in. made() is false where the openssl command is missing.
class TestCertificate {
 public:
  TestCertificate();
  ~TestCertificate();
  bool made() const { return made_; }
  std::string cert_file() const { return (dir_ / "cert.pem").string(); }
  std::string key_file() const { return (dir_ / "key.pem").string(); }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  bool made_ = false;
};

// A raw HTTP server for answers make_http_server would never give: connection i reads one request
// head, gets the bytes replies[i] back and is then closed. Further connections are closed unread.
class ScriptedServer {
 public:
  // With a `byte_pause`, each reply goes out a byte at a time with that pause between bytes (a
  // server that trickles), until it is all sent, the client leaves or the server stops. A reply
  // goes out once the request's head is in, or with `at_first_bytes` once anything is (a TLS
  // server's hello answers the client's, which has no HTTP head).
  explicit ScriptedServer(std::vector<std::string> replies,
                          std::chrono::milliseconds byte_pause = std::chrono::milliseconds(0),
                          bool at_first_bytes = false);
  ~ScriptedServer();

  unsigned short port() const { return port_; }
  std::string url(const std::string& path_etc) const;
  int connections_closed() const { return closed_.load(); }

 private:
  void run();

  std::vector<std::string> replies_;
  std::chrono::milliseconds byte_pause_;
  bool at_first_bytes_;
  Poco::Net::ServerSocket socket_;
  unsigned short port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> closed_{0};
  std::thread thread_;
};

}  // namespace ttb::net::testing
