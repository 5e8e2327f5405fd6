#include "jobs/job_limits.h"

#include <algorithm>
#include <cmath>

namespace ttb::jobs {

JobLimits::JobLimits(LimitOptions options) : options_(std::move(options)) {
  if (!options_.clock) options_.clock = [] { return std::chrono::steady_clock::now(); };
}

void JobLimits::refill(Bucket& bucket, std::chrono::steady_clock::time_point now) const {
  const double rate = options_.provider_rate_per_s;
  // The bucket holds one second's worth of starts: a short burst is fine, a flood is paced.
  if (!bucket.primed) {
    bucket.tokens = rate;
    bucket.refilled = now;
    bucket.primed = true;
    return;
  }
  const double elapsed = std::chrono::duration<double>(now - bucket.refilled).count();
  if (elapsed <= 0) return;
  bucket.tokens = std::min(rate, bucket.tokens + elapsed * rate);
  bucket.refilled = now;
}

bool JobLimits::try_acquire(const std::string& tenant, const std::string& provider) {
  std::lock_guard lock(mutex_);
  const std::string k = key(tenant, provider);
  if (options_.tenant_concurrency > 0 && tenants_[tenant] >= options_.tenant_concurrency) {
    return false;
  }
  if (options_.provider_concurrency > 0 && providers_[k] >= options_.provider_concurrency) {
    return false;
  }
  if (options_.provider_rate_per_s > 0) {
    Bucket& bucket = buckets_[k];
    refill(bucket, options_.clock());
    if (bucket.tokens < 1.0) return false;
    bucket.tokens -= 1.0;
  }
  ++tenants_[tenant];
  ++providers_[k];
  return true;
}

bool JobLimits::release(const std::string& tenant, const std::string& provider) {
  std::lock_guard lock(mutex_);
  bool was_full = false;
  auto t = tenants_.find(tenant);
  if (t != tenants_.end()) {
    was_full = options_.tenant_concurrency > 0 && t->second >= options_.tenant_concurrency;
    if (--t->second <= 0) tenants_.erase(t);
  }
  auto p = providers_.find(key(tenant, provider));
  if (p != providers_.end()) {
    was_full = was_full ||
               (options_.provider_concurrency > 0 && p->second >= options_.provider_concurrency);
    if (--p->second <= 0) providers_.erase(p);
  }
  return was_full;
}

void JobLimits::give_back(const std::string& tenant, const std::string& provider) {
  release(tenant, provider);
  if (options_.provider_rate_per_s <= 0) return;
  std::lock_guard lock(mutex_);
  auto b = buckets_.find(key(tenant, provider));
  if (b == buckets_.end()) return;
  b->second.tokens = std::min<double>(options_.provider_rate_per_s, b->second.tokens + 1.0);
}

std::vector<std::string> JobLimits::full_tenants(const Slot* ending) const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  if (options_.tenant_concurrency <= 0) return out;
  for (const auto& [tenant, n] : tenants_) {
    const int running = ending && ending->first == tenant ? n - 1 : n;
    if (running >= options_.tenant_concurrency) out.push_back(tenant);
  }
  return out;
}

std::vector<std::string> JobLimits::full_providers(const Slot* ending) const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  const std::string ending_key = ending ? key(ending->first, ending->second) : std::string();
  if (options_.provider_concurrency > 0) {
    for (const auto& [k, n] : providers_) {
      const int running = ending && k == ending_key ? n - 1 : n;
      if (running >= options_.provider_concurrency) out.push_back(k);
    }
  }
  if (options_.provider_rate_per_s > 0) {
    const auto now = options_.clock();
    for (auto& [k, bucket] : buckets_) {
      refill(bucket, now);
      if (bucket.tokens < 1.0 && std::find(out.begin(), out.end(), k) == out.end()) {
        out.push_back(k);
      }
    }
  }
  return out;
}

std::chrono::milliseconds JobLimits::next_token_in() const {
  std::lock_guard lock(mutex_);
  if (options_.provider_rate_per_s <= 0) return std::chrono::milliseconds(0);
  const auto now = options_.clock();
  double shortest = -1;
  for (auto& [k, bucket] : buckets_) {
    refill(bucket, now);
    if (bucket.tokens >= 1.0) continue;
    const double wait = (1.0 - bucket.tokens) / options_.provider_rate_per_s;
    if (shortest < 0 || wait < shortest) shortest = wait;
  }
  if (shortest < 0) return std::chrono::milliseconds(0);
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(shortest * 1000)));
}

int JobLimits::running(const std::string& tenant) const {
  std::lock_guard lock(mutex_);
  auto it = tenants_.find(tenant);
  return it == tenants_.end() ? 0 : it->second;
}

int JobLimits::running(const std::string& tenant, const std::string& provider) const {
  std::lock_guard lock(mutex_);
  auto it = providers_.find(key(tenant, provider));
  return it == providers_.end() ? 0 : it->second;
}

}  // namespace ttb::jobs
