#pragma once
// The operator's charts (GET /api/stats): one point a minute for the last hour, kept in memory
// by the daemon. Each point is the queue as it stood at that minute (queued, running, dead) and
// what happened since the point before (orders created, jobs done: in [previous point, this
// point)), counted by the store from its own timestamps. A restart starts the ring empty.

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "store/store.h"

namespace ttb::admin {

struct ActivityPoint {
  store::TimePoint at{};
  std::int64_t queued = 0;
  std::int64_t running = 0;
  std::int64_t dead = 0;
  std::int64_t orders_created = 0;
  std::int64_t jobs_done = 0;
};

class ActivitySampler {
 public:
  static constexpr std::chrono::seconds kInterval{60};
  static constexpr std::size_t kPoints = 60;

  explicit ActivitySampler(store::Store& store) : store_(store) {}

  // Takes a point when a minute has passed since the last one (the first call takes one at
  // once, counting the minute before it). Call it often (the daemon's housekeeping, every
  // second); it reads the store only when a point is due. Returns the store's error, if any.
  std::optional<std::string> sample_if_due(store::TimePoint now);

  // {"interval_s":60,"points":[{"at","queued","running","dead","orders_created","jobs_done"}]},
  // oldest first.
  nlohmann::json to_json() const;

 private:
  store::Store& store_;
  mutable std::mutex mutex_;
  std::deque<ActivityPoint> points_;
  std::optional<store::TimePoint> last_;
};

}  // namespace ttb::admin
