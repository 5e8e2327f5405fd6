#include "app/job_metrics.h"

#include <algorithm>
#include <chrono>
#include <map>

#include "ops/log.h"

namespace ttb::app {

JobMetrics::JobMetrics(ops::Metrics& metrics)
    : job_outcomes_(prometheus::BuildCounter()
                        .Name("ttbridge_jobs_total")
                        .Help("Jobs run, by kind and outcome (done, retry, deferred, dead)")
                        .Register(metrics.registry())),
      job_retries_(prometheus::BuildCounter()
                       .Name("ttbridge_job_retries_total")
                       .Help("Job runs that failed and were scheduled to run again")
                       .Register(metrics.registry())),
      dead_letters_(prometheus::BuildCounter()
                        .Name("ttbridge_job_dead_letters_total")
                        .Help("Jobs that ran out of attempts or failed for good (parked)")
                        .Register(metrics.registry())),
      queued_(prometheus::BuildGauge()
                  .Name("ttbridge_jobs_queued")
                  .Help("Jobs waiting to run (due or scheduled), per tenant and provider")
                  .Register(metrics.registry())),
      running_(prometheus::BuildGauge()
                   .Name("ttbridge_jobs_running")
                   .Help("Jobs running right now, per tenant and provider")
                   .Register(metrics.registry())),
      dead_(
          prometheus::BuildGauge()
              .Name("ttbridge_jobs_dead")
              .Help("Dead letters parked now, per tenant and provider (ttbridge jobs list --dead)")
              .Register(metrics.registry())),
      waiting_for_provider_(
          prometheus::BuildGauge()
              .Name("ttbridge_jobs_waiting_for_provider")
              .Help("Queued jobs whose provider is not configured right now (removed or "
                    "disabled); they wait and run when it is back")
              .Register(metrics.registry())),
      oldest_waiting_(prometheus::BuildGauge()
                          .Name("ttbridge_jobs_oldest_waiting_age_seconds")
                          .Help("How long the oldest due job has been waiting to run")
                          .Register(metrics.registry())
                          .Add({})),
      reconcile_polls_(prometheus::BuildCounter()
                           .Name("ttbridge_reconcile_polls_total")
                           .Help("Polls queued for open orders with no news for a while")
                           .Register(metrics.registry())
                           .Add({})),
      breakers_open_(prometheus::BuildGauge()
                         .Name("ttbridge_vendor_breakers_open")
                         .Help("Tenants' providers whose vendor stopped answering: their jobs "
                               "wait, attempts kept, until a probe finds the vendor back")
                         .Register(metrics.registry())
                         .Add({})),
      teamtailor_breakers_open_(
          prometheus::BuildGauge()
              .Name("ttbridge_teamtailor_breakers_open")
              .Help("Teamtailor connections that stopped answering: their result writes wait, "
                    "attempts kept, until a probe finds Teamtailor back")
              .Register(metrics.registry())
              .Add({})) {}

void JobMetrics::on_job_event(const jobs::JobEvent& event) {
  const char* outcome = jobs::to_string(event.outcome);
  job_outcomes_.Add({{"kind", store::to_string(event.job.kind)}, {"outcome", outcome}}).Increment();
  const std::map<std::string, std::string> labels{{"tenant", event.job.tenant},
                                                  {"provider", event.job.provider},
                                                  {"kind", store::to_string(event.job.kind)}};
  if (event.outcome == jobs::JobEvent::Outcome::retry) job_retries_.Add(labels).Increment();
  if (event.outcome == jobs::JobEvent::Outcome::dead) dead_letters_.Add(labels).Increment();
  using Outcome = jobs::JobEvent::Outcome;
  ops::Level level = ops::Level::info;
  const char* name = "job";
  if (event.outcome == Outcome::dead || event.outcome == Outcome::store_error) {
    level = ops::Level::error;
  }
  if (event.outcome == Outcome::dead) name = "job_dead";
  // Another daemon took the job over after this one's lease ran out: its run was dropped.
  if (event.outcome == Outcome::fenced) {
    level = ops::Level::warn;
    name = "job_fenced";
  }
  ops::log_event(level, name,
                 {{"job", static_cast<long long>(event.job.id)},
                  {"kind", store::to_string(event.job.kind)},
                  {"order", event.job.order_id},
                  {"tenant", event.job.tenant},
                  {"provider", event.job.provider},
                  {"status", outcome},
                  {"attempt", event.job.attempts},
                  {"detail", event.detail},
                  {"duration_ms", static_cast<long long>(event.duration.count())}});
}

void JobMetrics::refresh_queues(
    store::Store& store,
    const std::function<bool(const std::string&, const std::string&)>& provider_configured) {
  const auto queues = store.queue_by_provider();
  if (!queues) {
    ops::log_error("queue_metrics_failed", {{"error", queues.error().message}});
    return;
  }
  const auto now = std::chrono::system_clock::now();
  double oldest = 0;
  std::map<std::pair<std::string, std::string>, bool> seen;
  for (const auto& q : *queues) {
    const std::map<std::string, std::string> labels{{"tenant", q.tenant}, {"provider", q.provider}};
    queued_.Add(labels).Set(static_cast<double>(q.queued));
    running_.Add(labels).Set(static_cast<double>(q.running));
    dead_.Add(labels).Set(static_cast<double>(q.dead));
    // Visible, not failed: the jobs of a provider that a reload removed wait for its return.
    const bool missing = q.queued > 0 && !provider_configured(q.tenant, q.provider);
    waiting_for_provider_.Add(labels).Set(missing ? static_cast<double>(q.queued) : 0.0);
    if (q.oldest_queued_run_at && *q.oldest_queued_run_at < now) {
      oldest =
          std::max(oldest, std::chrono::duration<double>(now - *q.oldest_queued_run_at).count());
    }
    seen[{q.tenant, q.provider}] = true;
  }
  oldest_waiting_.Set(oldest);
  for (const auto& key : gauge_keys_) {
    if (seen.count(key)) continue;
    const std::map<std::string, std::string> labels{{"tenant", key.first},
                                                    {"provider", key.second}};
    queued_.Add(labels).Set(0);
    running_.Add(labels).Set(0);
    dead_.Add(labels).Set(0);
    waiting_for_provider_.Add(labels).Set(0);
  }
  for (const auto& [key, unused] : seen) gauge_keys_.insert(key);
}

void JobMetrics::count_reconcile_polls(int polls) {
  reconcile_polls_.Increment(static_cast<double>(polls));
}

void JobMetrics::on_breaker_change(const jobs::BreakerChange& change, int open_now) {
  breakers_open_.Set(static_cast<double>(open_now));
  const long long open_s =
      std::chrono::duration_cast<std::chrono::seconds>(change.open_for).count();
  if (change.kind == jobs::BreakerChange::Kind::opened) {
    ops::log_warn("vendor_breaker_opened", {{"tenant", change.tenant},
                                            {"provider", change.provider},
                                            {"failures", change.failures},
                                            {"status", plugins::to_string(change.status)},
                                            {"probe_in_s", open_s}});
    return;
  }
  ops::log_info("vendor_breaker_closed",
                {{"tenant", change.tenant}, {"provider", change.provider}, {"open_s", open_s}});
}

void JobMetrics::on_breakers_reset(int closed) {
  breakers_open_.Set(0);
  ops::log_info("vendor_breakers_reset", {{"closed", closed}});
}

void JobMetrics::on_teamtailor_breaker_change(const jobs::BreakerChange& change, int open_now) {
  teamtailor_breakers_open_.Set(static_cast<double>(open_now));
  const long long open_s =
      std::chrono::duration_cast<std::chrono::seconds>(change.open_for).count();
  // The breaker's pair is (connection, "teamtailor").
  if (change.kind == jobs::BreakerChange::Kind::opened) {
    ops::log_warn(
        "teamtailor_breaker_opened",
        {{"connection", change.tenant}, {"failures", change.failures}, {"probe_in_s", open_s}});
    return;
  }
  ops::log_info("teamtailor_breaker_closed", {{"connection", change.tenant}, {"open_s", open_s}});
}

void JobMetrics::on_teamtailor_breakers_reset(int closed) {
  teamtailor_breakers_open_.Set(0);
  ops::log_info("teamtailor_breakers_reset", {{"closed", closed}});
}

void JobMetrics::refresh_breakers(int vendors_open, int teamtailor_open) {
  breakers_open_.Set(static_cast<double>(vendors_open));
  teamtailor_breakers_open_.Set(static_cast<double>(teamtailor_open));
}

}  // namespace ttb::app
