#include "admin/activity_sampler.h"

#include "admin/record_json.h"

namespace ttb::admin {

std::optional<std::string> ActivitySampler::sample_if_due(store::TimePoint now) {
  store::TimePoint since;
  {
    std::lock_guard lock(mutex_);
    if (last_ && now - *last_ < kInterval) return std::nullopt;
    since = last_ ? *last_ : now - kInterval;
  }
  const auto queue = store_.queue_stats();
  if (!queue) return queue.error().message;
  const auto activity = store_.activity_between(since, now);
  if (!activity) return activity.error().message;
  ActivityPoint point{now,
                      queue->queued,
                      queue->running,
                      queue->dead,
                      activity->orders_created,
                      activity->jobs_done};
  std::lock_guard lock(mutex_);
  last_ = now;
  points_.push_back(point);
  while (points_.size() > kPoints) points_.pop_front();
  return std::nullopt;
}

nlohmann::json ActivitySampler::to_json() const {
  nlohmann::json points = nlohmann::json::array();
  std::lock_guard lock(mutex_);
  for (const ActivityPoint& p : points_) {
    points.push_back({{"at", format_time(p.at)},
                      {"queued", p.queued},
                      {"running", p.running},
                      {"dead", p.dead},
                      {"orders_created", p.orders_created},
                      {"jobs_done", p.jobs_done}});
  }
  return {{"interval_s", kInterval.count()}, {"points", std::move(points)}};
}

}  // namespace ttb::admin
