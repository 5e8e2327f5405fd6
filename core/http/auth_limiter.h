#pragma once
// A budget of failed authentication on the partner routes, per client address and per tenant
// (docs/architecture.md, "Authentication and limits"). Each key has a token bucket: a failure
// takes one token, tokens come back at a steady rate up to the burst, and a key without a token
// is answered 429 with Retry-After: on the admin listener before its credentials are looked at,
// on the public routes once they failed (refuse_failed_credential). Failures are logged in
// aggregate: at most one `auth_failures` line per key per log window, with the counts since its
// last line.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "net/http_types.h"

namespace ttb::http {

struct AuthFailureLimits {
  int burst = 20;       // failures a key may make in a row
  int per_minute = 12;  // tokens given back a minute
  std::chrono::seconds log_window{60};
  std::size_t max_keys = 65536;  // beyond this, new keys share one bucket ("overflow")
};

class AuthFailureLimiter {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  explicit AuthFailureLimiter(
      AuthFailureLimits limits, Clock clock = [] { return std::chrono::steady_clock::now(); });

  // How long `key` must wait before it may try again; nullopt when it may try now. A refused
  // try is counted for the log but takes no token.
  std::optional<std::chrono::seconds> retry_after(const std::string& key);
  // One failed authentication by `key`; `reason` (safe to log) is kept for its next log line.
  void failed(const std::string& key, std::string_view reason);

 private:
  struct Bucket {
    std::string key;  // its own key, or "overflow" for the shared one
    double tokens = 0;
    std::chrono::steady_clock::time_point refilled{};
    std::chrono::steady_clock::time_point logged{};  // when its last line was written
    bool ever_logged = false;
    std::int64_t failures = 0;  // since the last line
    std::int64_t refused = 0;   // 429s since the last line
    std::string reason;
  };

  Bucket& bucket(const std::string& key, std::chrono::steady_clock::time_point now);
  void maybe_log(Bucket& b, std::chrono::steady_clock::time_point now);
  // Once per log window: writes the pending counts of every key whose window has passed, so a
  // burst that stopped is still reported at the next failure of anyone.
  void sweep(std::chrono::steady_clock::time_point now);

  AuthFailureLimits limits_;
  Clock clock_;
  std::mutex mutex_;
  std::map<std::string, Bucket> buckets_;
  std::chrono::steady_clock::time_point swept_{};
};

// The key of the request's client: its address without the port ("client 127.0.0.1").
std::string client_key(const net::Request& request);
// The key of a tenant ("tenant acme").
std::string tenant_key(std::string_view tenant_id);

// A 429 with Retry-After when `key` has no budget left; nullopt otherwise.
std::optional<net::Response> refuse_if_limited(AuthFailureLimiter& limiter, const std::string& key);

// A credential of `key`'s that failed, on a public route: `refusal` (a 401, say) with the failure
// counted, or the 429 when `key` has no budget left. Asked only once the credential failed, never
// before it is looked at: Teamtailor sends every tenant's requests from the same few addresses
// (and behind a proxy every client has the proxy's), so one tenant's stale key must not get
// another tenant's valid webhook refused, which Teamtailor would never send again.
net::Response refuse_failed_credential(AuthFailureLimiter& limiter, const std::string& key,
                                       std::string_view reason, net::Response refusal);

}  // namespace ttb::http
