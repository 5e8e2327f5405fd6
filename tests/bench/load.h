#pragma once
// The bench's HTTP load generator: one epoll thread driving many keep-alive connections on
// loopback, each request sent once from a precomputed list (so every webhook is a distinct,
// freshly signed event). Closed loop (as fast as the server answers) or open loop at a fixed
// rate, where latency counts from the scheduled send time (no coordinated omission).

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace ttb::bench {

struct LoadOptions {
  unsigned short port = 0;  // on 127.0.0.1
  unsigned connections = 32;
  double rate = 0;  // requests/s in total; 0 = closed loop, as fast as answers come
  std::chrono::milliseconds max_duration{10000};  // stops sending after this, whatever is left
  // If set, one line per 2xx answer, in the order answered: when its request was (to be) sent,
  // how long the answer took from then, and how late the generator itself sent it, in ms (to see
  // when a tail happened, and whose it was).
  std::string latency_log;
};

struct LoadResult {
  std::size_t sent = 0, ok = 0, failed = 0;  // ok: a 2xx answer
  double seconds = 0;                        // first send to last answer
  double rps = 0;                            // ok / seconds
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
  double cpu_seconds = 0;  // the generator thread's own CPU time
  std::string first_error;
};

// Sends each of `requests` (raw HTTP/1.1 bytes, keep-alive) at most once. Bounded by the list's
// length and by `max_duration`; waits at most 5 s more for answers in flight.
LoadResult run_load(const std::vector<std::string>& requests, const LoadOptions& options);

}  // namespace ttb::bench
