#include "jobs/outage_breaker.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>

namespace ttb::jobs {
namespace {

using plugins::CallStatus;

// The vendor was there: it gave a result, or refused the request for a reason of its own.
// Failures on our side of the plugin (unsupported, internal, crashed, cancelled) say nothing
// about the vendor either way.
bool answered(CallStatus status) {
  switch (status) {
    case CallStatus::ok:
    case CallStatus::invalid:
    case CallStatus::auth:
    case CallStatus::not_found:
    case CallStatus::rate_limited:
      return true;
    default:
      return false;
  }
}

// The vendor did not answer: what opens a breaker.
bool unanswered(CallStatus status) {
  return status == CallStatus::vendor_unavailable || status == CallStatus::timeout;
}

}  // namespace

OutageBreaker::OutageBreaker(BreakerOptions options) : options_(std::move(options)) {
  if (!options_.clock) options_.clock = [] { return std::chrono::steady_clock::now(); };
  if (!options_.uniform01) {
    auto rng = std::make_shared<std::mt19937_64>(std::random_device{}());
    // Called under mutex_ only (hold_for), so the generator needs no lock of its own.
    options_.uniform01 = [rng] { return std::uniform_real_distribution<double>(0.0, 1.0)(*rng); };
  }
  options_.open_for = std::max(options_.open_for, std::chrono::milliseconds(1));
  options_.open_max = std::max(options_.open_max, options_.open_for);
}

OutageBreaker::Start OutageBreaker::try_start(const std::string& tenant,
                                              const std::string& provider, ProbeId* probe) {
  std::lock_guard lock(mutex_);
  auto it = states_.find(key(tenant, provider));
  if (it == states_.end() || !it->second.open) return Start::normal;
  State& state = it->second;
  if (state.probing || options_.clock() < state.probe_at) return Start::held;
  state.probing = true;
  state.probe = ++last_probe_;
  if (probe != nullptr) *probe = state.probe;
  return Start::probe;
}

std::chrono::milliseconds OutageBreaker::hold_for(const std::string& tenant,
                                                  const std::string& provider) {
  std::lock_guard lock(mutex_);
  auto it = states_.find(key(tenant, provider));
  // Closed meanwhile (a probe got its answer): the job may run at once.
  if (it == states_.end() || !it->second.open) return std::chrono::milliseconds(0);
  const State& state = it->second;
  const auto until_probe =
      std::max(std::chrono::steady_clock::duration::zero(), state.probe_at - options_.clock());
  const auto spread = std::chrono::milliseconds(
      static_cast<std::int64_t>(static_cast<double>(state.wait.count()) * options_.uniform01()));
  return std::chrono::ceil<std::chrono::milliseconds>(until_probe) + spread;
}

void OutageBreaker::return_probe(const std::string& tenant, const std::string& provider,
                                 ProbeId probe) {
  std::lock_guard lock(mutex_);
  auto it = states_.find(key(tenant, provider));
  if (it != states_.end() && it->second.probe == probe) it->second.probing = false;
}

BreakerChange OutageBreaker::open_locked(State& state, const std::string& tenant,
                                         const std::string& provider, CallStatus status,
                                         std::chrono::milliseconds wait) {
  const auto now = options_.clock();
  if (!state.open) state.opened_at = now;
  state.open = true;
  state.probing = false;
  state.wait = wait;
  state.probe_at = now + wait;
  BreakerChange change;
  change.kind = BreakerChange::Kind::opened;
  change.tenant = tenant;
  change.provider = provider;
  change.failures = state.failures;
  change.status = status;
  change.open_for = wait;
  return change;
}

void OutageBreaker::record(const std::string& tenant, const std::string& provider,
                           CallStatus status) {
  std::optional<BreakerChange> change;
  {
    std::lock_guard lock(mutex_);
    const std::string k = key(tenant, provider);
    auto it = states_.find(k);
    if (answered(status)) {
      if (it == states_.end()) return;
      if (it->second.open) {
        change.emplace();
        change->kind = BreakerChange::Kind::closed;
        change->tenant = tenant;
        change->provider = provider;
        change->failures = it->second.failures;
        change->open_for = std::chrono::duration_cast<std::chrono::milliseconds>(
            options_.clock() - it->second.opened_at);
      }
      states_.erase(it);
    } else if (unanswered(status)) {
      if (options_.failures <= 0) return;
      State& state = it == states_.end() ? states_[k] : it->second;
      ++state.failures;
      if (state.open) {
        // Only the probe's failure says the vendor is still down; a call that started before the
        // breaker opened and ends now adds nothing to what opened it.
        if (state.probing) {
          change = open_locked(state, tenant, provider, status,
                               std::min(state.wait * 2, options_.open_max));
        }
      } else if (state.failures >= options_.failures) {
        change = open_locked(state, tenant, provider, status, options_.open_for);
      }
    } else if (it != states_.end() && it->second.probing) {
      it->second.probing = false;  // no word from the vendor: the next job probes
    }
  }
  if (change && options_.on_change) options_.on_change(*change);
}

bool OutageBreaker::is_open(const std::string& tenant, const std::string& provider) const {
  std::lock_guard lock(mutex_);
  auto it = states_.find(key(tenant, provider));
  return it != states_.end() && it->second.open;
}

std::vector<std::string> OutageBreaker::open_pairs() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [k, state] : states_) {
    if (state.open) out.push_back(k);
  }
  return out;
}

int OutageBreaker::open_count_locked() const {
  return static_cast<int>(
      std::count_if(states_.begin(), states_.end(), [](const auto& s) { return s.second.open; }));
}

int OutageBreaker::open_count() const {
  std::lock_guard lock(mutex_);
  return open_count_locked();
}

int OutageBreaker::reset() {
  std::lock_guard lock(mutex_);
  const int open = open_count_locked();
  states_.clear();
  ++resets_;
  return open;
}

std::uint64_t OutageBreaker::resets() const {
  std::lock_guard lock(mutex_);
  return resets_;
}

}  // namespace ttb::jobs
