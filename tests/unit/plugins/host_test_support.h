#pragma once
// What the tests of both plugin hosts (plugin_host_test.cc, in process; isolated_host_test.cc,
// in ttb-plugin-host children) share: the test plugins' paths, an HTTP client that records what
// plugins send, the host's log lines, and waits with generous deadlines (the plugins' answers,
// not the waits, are under test).

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "net/http_client.h"
#include "plugins/internal/plugin_host.h"

namespace ttb::plugins::test_support {

inline constexpr std::chrono::seconds kWait{20};

// A test plugin built by tests/sdk.
inline std::string plugin(const char* name) {
  return std::string(TTB_TEST_PLUGIN_DIR) + "/" + name + ".so";
}

// Answers every request with `reply` and keeps the requests.
class FakeHttp : public net::HttpClient {
 public:
  net::ClientResponse send(const net::ClientRequest& request) override {
    std::lock_guard lock(mu);
    requests.push_back(request);
    return reply;
  }
  std::mutex mu;
  std::vector<net::ClientRequest> requests;
  net::ClientResponse reply;
};

// The host's log lines (HostOptions::log).
struct Logs {
  std::mutex mu;
  std::vector<HostLogRecord> lines;
  void add(const HostLogRecord& r) {
    std::lock_guard lock(mu);
    lines.push_back(r);
  }
  bool any(const std::string& event) {
    std::lock_guard lock(mu);
    for (auto& l : lines)
      if (l.event == event) return true;
    return false;
  }
  bool contains_text(const std::string& text) {
    std::lock_guard lock(mu);
    for (auto& l : lines)
      if (l.message.find(text) != std::string::npos) return true;
    return false;
  }
};

inline CallResult get(std::future<CallResult> f) {
  if (f.wait_for(kWait) != std::future_status::ready) {
    ADD_FAILURE() << "future never became ready";
  }
  return f.get();
}

// Polls `cond` until it holds or the deadline passes (no fixed sleeps).
template <class F>
bool eventually(F cond) {
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  while (std::chrono::steady_clock::now() < deadline) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return cond();
}

}  // namespace ttb::plugins::test_support
