#pragma once
// Isolation between tenants and vendors: at most N jobs of one tenant and M of one tenant's
// provider run at once, and a provider's jobs start at most R per second (a token bucket). The
// runner acquires a slot while claiming and releases it when the job is recorded, so one tenant's
// burst or one slow vendor holds a bounded share of the workers.

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace ttb::jobs {

struct LimitOptions {
  int tenant_concurrency = 4;    // running jobs per tenant; <= 0: unlimited
  int provider_concurrency = 4;  // running jobs per tenant/provider; <= 0: unlimited
  int provider_rate_per_s = 0;   // job starts per second per tenant/provider; 0: unlimited
  std::function<std::chrono::steady_clock::time_point()> clock;  // default: steady_clock
};

class JobLimits {
 public:
  explicit JobLimits(LimitOptions options);

  // Takes a slot (and a rate token) for a job of `tenant`/`provider`, or refuses.
  bool try_acquire(const std::string& tenant, const std::string& provider);
  // True when the tenant or its provider was at its cap: their skipped jobs may start now.
  bool release(const std::string& tenant, const std::string& provider);
  // Undoes a try_acquire whose job did not start after all (the claim passed it by, or ran its
  // transaction again): the slot and the rate token both go back, so the provider's pace is
  // that of the jobs it started.
  void give_back(const std::string& tenant, const std::string& provider);

  // Who cannot start a job right now: tenants at their cap, and "tenant/provider" pairs at
  // their cap or out of rate tokens. The claim query skips their jobs. `ending`: the tenant and
  // provider of a running job that ends before the claim admits anything (a claim riding on
  // its completion), whose slot counts as free.
  using Slot = std::pair<std::string, std::string>;  // tenant, provider
  std::vector<std::string> full_tenants(const Slot* ending = nullptr) const;
  std::vector<std::string> full_providers(const Slot* ending = nullptr) const;
  // How long until a rate-limited provider has a token again (zero when none is waiting).
  std::chrono::milliseconds next_token_in() const;

  int running(const std::string& tenant) const;
  int running(const std::string& tenant, const std::string& provider) const;

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point refilled{};
    bool primed = false;
  };
  static std::string key(const std::string& tenant, const std::string& provider) {
    return tenant + "/" + provider;
  }
  void refill(Bucket& bucket, std::chrono::steady_clock::time_point now) const;

  LimitOptions options_;
  mutable std::mutex mutex_;
  std::map<std::string, int> tenants_;
  std::map<std::string, int> providers_;
  mutable std::map<std::string, Bucket> buckets_;
};

}  // namespace ttb::jobs
