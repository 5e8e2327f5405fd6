#include "http/auth_limiter.h"

#include <algorithm>
#include <cmath>

#include "ops/log.h"

namespace ttb::http {

AuthFailureLimiter::AuthFailureLimiter(AuthFailureLimits limits, Clock clock)
    : limits_(limits), clock_(std::move(clock)) {
  limits_.burst = std::max(limits_.burst, 1);
  limits_.per_minute = std::max(limits_.per_minute, 1);
}

AuthFailureLimiter::Bucket& AuthFailureLimiter::bucket(const std::string& key,
                                                       std::chrono::steady_clock::time_point now) {
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= limits_.max_keys) {
      // Forget the keys that are whole again and have nothing left to log.
      std::erase_if(buckets_, [&](const auto& entry) {
        const Bucket& b = entry.second;
        const double elapsed = std::chrono::duration<double>(now - b.refilled).count();
        return b.failures == 0 && b.refused == 0 &&
               b.tokens + elapsed * limits_.per_minute / 60.0 >= limits_.burst;
      });
    }
    const std::string use = buckets_.size() >= limits_.max_keys ? "overflow" : key;
    it = buckets_.find(use);
    if (it == buckets_.end()) {
      it = buckets_.emplace(use, Bucket{}).first;
      it->second.key = use;
      it->second.tokens = limits_.burst;
      it->second.refilled = now;
    }
  }
  Bucket& b = it->second;
  const double elapsed = std::chrono::duration<double>(now - b.refilled).count();
  b.tokens = std::min<double>(limits_.burst, b.tokens + elapsed * limits_.per_minute / 60.0);
  b.refilled = now;
  return b;
}

void AuthFailureLimiter::maybe_log(Bucket& b, std::chrono::steady_clock::time_point now) {
  if (b.ever_logged && now - b.logged < limits_.log_window) return;
  ops::log_warn("auth_failures", {{"key", b.key},
                                  {"failures", b.failures},
                                  {"refused_429", b.refused},
                                  {"window_s", limits_.log_window.count()},
                                  {"last_reason", b.reason}});
  b.ever_logged = true;
  b.logged = now;
  b.failures = 0;
  b.refused = 0;
}

void AuthFailureLimiter::sweep(std::chrono::steady_clock::time_point now) {
  if (now - swept_ < limits_.log_window) return;
  swept_ = now;
  for (auto& entry : buckets_) {
    Bucket& b = entry.second;
    if (b.failures > 0 || b.refused > 0) maybe_log(b, now);
  }
}

std::optional<std::chrono::seconds> AuthFailureLimiter::retry_after(const std::string& key) {
  std::lock_guard lock(mutex_);
  const auto now = clock_();
  sweep(now);
  Bucket& b = bucket(key, now);
  if (b.tokens >= 1.0) return std::nullopt;
  ++b.refused;
  maybe_log(b, now);
  const double wait = (1.0 - b.tokens) * 60.0 / limits_.per_minute;
  return std::chrono::seconds(
      std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(wait))));
}

void AuthFailureLimiter::failed(const std::string& key, std::string_view reason) {
  std::lock_guard lock(mutex_);
  const auto now = clock_();
  sweep(now);
  Bucket& b = bucket(key, now);
  b.tokens = std::max(0.0, b.tokens - 1.0);
  ++b.failures;
  b.reason = std::string(reason.substr(0, 200));
  maybe_log(b, now);
}

std::string client_key(const net::Request& request) {
  // "127.0.0.1:53422" or "[::1]:53422": the address without the port.
  std::string_view host = request.remote;
  if (!host.empty() && host.front() == '[') {
    if (auto close = host.find(']'); close != std::string_view::npos) {
      host = host.substr(1, close - 1);
    }
  } else if (auto colon = host.rfind(':');
             colon != std::string_view::npos && host.find(':') == colon) {
    host = host.substr(0, colon);
  }
  return "client " + std::string(host);
}

std::string tenant_key(std::string_view tenant_id) {
  return "tenant " + std::string(tenant_id);
}

std::optional<net::Response> refuse_if_limited(AuthFailureLimiter& limiter,
                                               const std::string& key) {
  auto wait = limiter.retry_after(key);
  if (!wait) return std::nullopt;
  net::Response response =
      net::Response::text(429, "Too many failed authentication attempts; try again in " +
                                   std::to_string(wait->count()) + " s.");
  response.headers.emplace_back("Retry-After", std::to_string(wait->count()));
  return response;
}

net::Response refuse_failed_credential(AuthFailureLimiter& limiter, const std::string& key,
                                       std::string_view reason, net::Response refusal) {
  if (auto limited = refuse_if_limited(limiter, key)) return std::move(*limited);
  limiter.failed(key, reason);
  return refusal;
}

}  // namespace ttb::http
