#include "config/job_settings.h"

#include <fmt/format.h>

namespace ttb::config {

RetrySettings RetrySettings::merged(const RetrySettings& overrides) const {
  RetrySettings out = *this;
  if (overrides.max_attempts) out.max_attempts = overrides.max_attempts;
  if (overrides.base_delay) out.base_delay = overrides.base_delay;
  if (overrides.max_delay) out.max_delay = overrides.max_delay;
  if (overrides.deadline) out.deadline = overrides.deadline;
  return out;
}

std::vector<std::string_view> retry_keys() {
  return {"max_attempts", "base_delay_ms", "max_delay_s", "deadline_s"};
}

void read_retry(Document& doc, ValueReader& values, const MapView& map, RetrySettings& retry) {
  using std::chrono::milliseconds;
  using std::chrono::seconds;
  if (!map.is_map()) return;
  if (const Entry* e = map.find("max_attempts")) {
    if (auto n = values.integer(*e, 1, 1000)) retry.max_attempts = static_cast<int>(*n);
  }
  if (const Entry* e = map.find("base_delay_ms")) {
    if (auto n = values.integer(*e, 1, 3600LL * 1000)) retry.base_delay = milliseconds(*n);
  }
  if (const Entry* e = map.find("max_delay_s")) {
    if (auto n = values.integer(*e, 1, 7LL * 24 * 3600)) retry.max_delay = seconds(*n);
  }
  if (const Entry* e = map.find("deadline_s")) {
    if (auto n = values.integer(*e, 1, 90LL * 24 * 3600)) retry.deadline = seconds(*n);
  }
  if (retry.base_delay && retry.max_delay && *retry.base_delay > *retry.max_delay) {
    const Entry* e = map.find("base_delay_ms");
    if (e == nullptr) e = map.find("max_delay_s");
    if (e != nullptr) {
      doc.report(e->value_mark(),
                 fmt::format("{}: base_delay_ms ({} ms) is longer than max_delay_s ({} s); make "
                             "the base delay shorter than the longest delay",
                             map.path(), retry.base_delay->count(),
                             std::chrono::duration_cast<seconds>(*retry.max_delay).count()));
    }
  }
}

std::vector<std::string_view> breaker_keys() {
  return {"failures", "open_s", "open_max_s"};
}

namespace {

void read_breaker(Document& doc, ValueReader& values, const MapView& map, JobSettings& jobs) {
  using std::chrono::seconds;
  if (!map.is_map()) return;
  if (const Entry* e = map.find("failures")) {
    if (auto n = values.integer(*e, 0, 1000)) jobs.breaker_failures = static_cast<int>(*n);
  }
  if (const Entry* e = map.find("open_s")) {
    if (auto n = values.integer(*e, 1, 24LL * 3600)) jobs.breaker_open = seconds(*n);
  }
  if (const Entry* e = map.find("open_max_s")) {
    if (auto n = values.integer(*e, 1, 7LL * 24 * 3600)) jobs.breaker_open_max = seconds(*n);
  }
  if (jobs.breaker_open > jobs.breaker_open_max) {
    const Entry* e = map.find("open_max_s");
    if (e == nullptr) e = map.find("open_s");
    if (e != nullptr) {
      doc.report(e->value_mark(),
                 fmt::format("{}: open_max_s ({} s) is shorter than open_s ({} s); make the "
                             "longest wait at least the first",
                             map.path(), jobs.breaker_open_max.count(), jobs.breaker_open.count()));
    }
  }
}

}  // namespace

void read_jobs(Document& doc, ValueReader& values, const MapView& map, JobSettings& jobs) {
  using std::chrono::seconds;
  if (!map.is_map()) return;
  if (const Entry* e = map.find("workers")) {
    if (auto n = values.integer(*e, 1, 256)) jobs.workers = static_cast<int>(*n);
  }
  if (const Entry* e = map.find("tenant_concurrency")) {
    if (auto n = values.integer(*e, 1, 256)) jobs.tenant_concurrency = static_cast<int>(*n);
  }
  if (const Entry* e = map.find("provider_concurrency")) {
    if (auto n = values.integer(*e, 1, 256)) jobs.provider_concurrency = static_cast<int>(*n);
  }
  if (const Entry* e = map.find("provider_rate_per_s")) {
    if (auto n = values.integer(*e, 0, 100000)) jobs.provider_rate_per_s = static_cast<int>(*n);
  }
  if (const Entry* e = map.find("teamtailor_workers")) {
    if (auto n = values.integer(*e, 1, 64)) jobs.teamtailor_workers = static_cast<int>(*n);
  }
  if (const Entry* e = map.find("poll_interval_s")) {
    if (auto n = values.integer(*e, 1, 7LL * 24 * 3600)) jobs.poll_interval = seconds(*n);
  }
  if (const Entry* e = map.find("reconcile_after_s")) {
    if (auto n = values.integer(*e, 1, 90LL * 24 * 3600)) jobs.reconcile_after = seconds(*n);
  }
  if (const Entry* e = map.find("reconcile_every_s")) {
    if (auto n = values.integer(*e, 1, 24LL * 3600)) jobs.reconcile_every = seconds(*n);
  }
  if (const Entry* e = map.find("lease_s")) {
    if (auto n = values.integer(*e, 1, 24LL * 3600)) jobs.lease = seconds(*n);
  }
  if (const Entry* e = map.find("breaker")) {
    read_breaker(doc, values, MapView(doc, e->value, e->key_node.Mark(), e->path, breaker_keys()),
                 jobs);
  }
  if (const Entry* e = map.find("retry")) {
    MapView retry(doc, e->value, e->key_node.Mark(), e->path, retry_keys());
    RetrySettings overrides;
    read_retry(doc, values, retry, overrides);
    jobs.retry = jobs.retry.merged(overrides);
  }
}

}  // namespace ttb::config
