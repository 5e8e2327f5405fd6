#include "jobs/retry_policy.h"

#include <algorithm>
#include <cmath>

namespace ttb::jobs {

std::optional<store::TimePoint> RetryPolicy::next_run(
    int attempts, store::TimePoint created_at, store::TimePoint now,
    std::optional<std::chrono::milliseconds> retry_after,
    const std::function<double()>& uniform01) const {
  if (attempts >= max_attempts) return std::nullopt;
  std::chrono::milliseconds delay{0};
  if (retry_after) {
    // Any wait past the deadline gives up alike; clamped, a wait of years (a plugin child's frame
    // may carry any number) cannot overflow the time point below.
    delay = std::clamp(*retry_after, std::chrono::milliseconds(0),
                       deadline + std::chrono::milliseconds(1));
  } else {
    // Full jitter (AWS architecture blog): uniform in [0, min(cap, base * 2^(n-1))], which
    // spreads a burst of failures instead of retrying them in lockstep.
    const double exp =
        std::ldexp(static_cast<double>(base_delay.count()), std::clamp(attempts - 1, 0, 62));
    const double ceiling = std::min(exp, static_cast<double>(max_delay.count()));
    const double r = uniform01 ? std::clamp(uniform01(), 0.0, 1.0) : 1.0;
    delay = std::chrono::milliseconds(static_cast<std::int64_t>(ceiling * r));
  }
  const store::TimePoint next = now + delay;
  if (next > created_at + deadline) return std::nullopt;
  return next;
}

}  // namespace ttb::jobs
