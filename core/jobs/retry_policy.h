#pragma once
// When a failed job runs again: exponential backoff with full jitter, capped per attempt, with an
// attempt cap and a total deadline; a vendor's or Teamtailor's Retry-After is honoured as given.

#include <chrono>
#include <functional>
#include <optional>

#include "store/records.h"

namespace ttb::jobs {

struct RetryPolicy {
  int max_attempts = 10;                       // runs in total, the first one included
  std::chrono::milliseconds base_delay{1000};  // the backoff ceiling of the first retry
  std::chrono::milliseconds max_delay{std::chrono::minutes(10)};
  std::chrono::milliseconds deadline{std::chrono::hours(24)};  // from the job's creation

  // The next run after `attempts` runs failed, or nullopt to give up (dead letter).
  // `uniform01` draws from [0, 1) for the jitter; `retry_after` wins over the backoff.
  std::optional<store::TimePoint> next_run(int attempts, store::TimePoint created_at,
                                           store::TimePoint now,
                                           std::optional<std::chrono::milliseconds> retry_after,
                                           const std::function<double()>& uniform01) const;
};

}  // namespace ttb::jobs
