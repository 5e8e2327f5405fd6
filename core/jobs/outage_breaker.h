#pragma once
// A breaker per pair for outages of the services the jobs call: a vendor, per tenant and provider
// (the runner's `breaker`), and Teamtailor, per connection (its `teamtailor_breaker`, whose pairs
// are (connection, "teamtailor")). While a service is down, retrying each due job only hammers it
// and spends the jobs' attempts: with the default retries, orders that come in during a
// ten-minute vendor outage would all fail, and the cards of a ten-minute Teamtailor outage would
// all become dead letters. So after `failures` calls in a row that the service did not answer
// (for a vendor `vendor_unavailable` or `timeout`; for Teamtailor no HTTP answer, 408 or 5xx), the
// breaker opens: each job of that pair the runner claims is held, put back in the queue with its
// attempt given back, to come back at a random time within the wait after the next probe (so that
// a service just back is not met by all of them at once). After `open_for` the first job claimed
// goes through as a probe. A probe the service answers, with a result or a refusal alike, closes
// the breaker, and the held jobs run as they come back; a probe it does not answer opens the
// breaker again for twice as long, up to `open_max`. A probe that needed no call (its order was
// already final) lets the next job probe. While a probe runs, the pair's next call to return is
// taken as the probe's: held jobs make none, so only a call begun before the breaker opened could
// come first.
//
// Held jobs are put back rather than skipped by the claim: a claim that skipped them would walk
// past every one of them in the queue, thousands in an outage, on each look for work.
//
// Per daemon, like JobLimits: each daemon of a PostgreSQL store finds an outage by itself.
// Thread-safe; the runner's workers and the store's commit thread (a riding claim's admit) call
// it.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "plugins/provider.h"

namespace ttb::jobs {

struct BreakerChange {
  enum class Kind { opened, closed };
  Kind kind = Kind::opened;
  std::string tenant;    // for Teamtailor's breaker, the connection
  std::string provider;  // for Teamtailor's breaker, "teamtailor"
  // opened: the unanswered calls in a row, the last one's call status (vendor_unavailable for
  // Teamtailor), and the time until the next probe. closed: how long the breaker was open in all,
  // since it first opened.
  int failures = 0;
  plugins::CallStatus status = plugins::CallStatus::vendor_unavailable;
  std::chrono::milliseconds open_for{0};
};

struct BreakerOptions {
  int failures = 5;  // unanswered calls in a row that open a breaker; <= 0: it never opens
  std::chrono::milliseconds open_for{std::chrono::seconds(30)};  // until the first probe
  std::chrono::milliseconds open_max{std::chrono::minutes(10)};  // the wait doubles up to this
  std::function<std::chrono::steady_clock::time_point()> clock;  // default: steady_clock
  // Draws from [0, 1) for the spread of the held jobs' return; default: a seeded generator.
  std::function<double()> uniform01;
  // Each opening and closing, on the thread that caused it (the app logs it).
  std::function<void(const BreakerChange&)> on_change;
};

class OutageBreaker {
 public:
  explicit OutageBreaker(BreakerOptions options);

  // May a job of this provider start now? `normal` while closed; `probe` for the one job let
  // through once an open breaker's wait is over; `held` otherwise. A probe gets its turn's id in
  // `probe`, to give the turn back with.
  enum class Start { held, normal, probe };
  using ProbeId = std::uint64_t;
  Start try_start(const std::string& tenant, const std::string& provider, ProbeId* probe = nullptr);
  // How long a held job waits before it is due again: until the next probe's time (from now, while
  // a probe runs), plus a random share of the breaker's current wait.
  std::chrono::milliseconds hold_for(const std::string& tenant, const std::string& provider);
  // The probe's turn goes back, and the next job may probe: the claim passed its job by after
  // all, or its job ended (a call it made has been recorded already; one it did not make, as its
  // order needed none, leaves the turn to the next job). Only while the turn is still `probe`'s:
  // once that probe's call has been recorded, the next job may be probing already, and its turn
  // is not this one's to end.
  void return_probe(const std::string& tenant, const std::string& provider, ProbeId probe);

  // A call of this provider's plugin returned `status`.
  void record(const std::string& tenant, const std::string& provider, plugins::CallStatus status);
  // A call of a service without plugin statuses (Teamtailor): it answered, whatever it said, or
  // it did not.
  void record_answer(const std::string& tenant, const std::string& provider, bool answered) {
    record(tenant, provider,
           answered ? plugins::CallStatus::ok : plugins::CallStatus::vendor_unavailable);
  }

  bool is_open(const std::string& tenant, const std::string& provider) const;
  // The open breakers' pairs, as "tenant/provider" (the form of JobLimits' full providers).
  std::vector<std::string> open_pairs() const;
  int open_count() const;
  // Closes every breaker without a probe (a reload: the operator may have fixed the provider).
  // Returns how many were open.
  int reset();
  // How many resets there have been. A job held while a reset ran was put back after the reload
  // made the held jobs due: its holder compares this before and after, and makes it due itself.
  std::uint64_t resets() const;

 private:
  struct State {
    int failures = 0;  // unanswered calls in a row
    bool open = false;
    bool probing = false;  // open, and its probe is running
    ProbeId probe = 0;     // that probe's turn
    std::chrono::steady_clock::time_point probe_at{};
    std::chrono::milliseconds wait{0};  // the current time open before a probe
    std::chrono::steady_clock::time_point opened_at{};
  };
  static std::string key(const std::string& tenant, const std::string& provider) {
    return tenant + "/" + provider;
  }
  // Under mutex_: opens (or reopens) the pair's breaker; returns the change to report.
  BreakerChange open_locked(State& state, const std::string& tenant, const std::string& provider,
                            plugins::CallStatus status, std::chrono::milliseconds wait);
  int open_count_locked() const;

  BreakerOptions options_;
  mutable std::mutex mutex_;
  std::map<std::string, State> states_;  // pairs with failures or an open breaker
  std::uint64_t resets_ = 0;
  ProbeId last_probe_ = 0;  // breaker-wide: a pair's state is erased when it closes
};

}  // namespace ttb::jobs
