#pragma once
// Clients that hold a server's connections without finishing a request: `idle` connections that
// send nothing, and `trickling` ones that start a request and send one more header line every
// second, reconnecting when the server cuts them off. The bench measures other requests while
// they run (docs/performance.md, "Slow clients").

#include <atomic>
#include <thread>
#include <vector>

namespace ttb::bench {

class SlowClients {
 public:
  SlowClients(unsigned short port, int idle, int trickling);
  ~SlowClients();
  SlowClients(const SlowClients&) = delete;
  SlowClients& operator=(const SlowClients&) = delete;

  int connected() const { return static_cast<int>(idle_fds_.size() + trickle_fds_.size()); }
  int reconnects() const { return reconnects_.load(); }

 private:
  void trickle();

  unsigned short port_;
  std::vector<int> idle_fds_;
  std::vector<int> trickle_fds_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> reconnects_{0};
  std::thread thread_;
};

}  // namespace ttb::bench
