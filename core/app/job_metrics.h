#pragma once
// The job metrics of ttbridged: each job run counted (and logged) as it ends, the queue of each
// tenant's provider as gauges refreshed from the store, and the reconciler's polls.
// Names and labels are in docs/operations.md's metrics table.

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <utility>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>

#include "jobs/job_steps.h"
#include "jobs/outage_breaker.h"
#include "ops/metrics.h"
#include "store/store.h"

namespace ttb::app {

class JobMetrics {
 public:
  explicit JobMetrics(ops::Metrics& metrics);

  // One job run ended: counts its outcome and logs one `job` (or `job_dead`) line. Called on
  // the job workers.
  void on_job_event(const jobs::JobEvent& event);

  // Sets the queue gauges from the store. Pairs that emptied out read 0 rather than keep their
  // last value. `provider_configured(tenant, provider)` tells the queued jobs that wait for a
  // provider a reload removed. Call from one thread only (the engine's housekeeping thread).
  void refresh_queues(
      store::Store& store,
      const std::function<bool(const std::string&, const std::string&)>& provider_configured);

  void count_reconcile_polls(int polls);

  // A vendor breaker opened or closed (jobs/outage_breaker.h): one log line, and the gauge of
  // breakers open set to `open_now`. Called on the worker whose call changed it.
  void on_breaker_change(const jobs::BreakerChange& change, int open_now);
  // A reload closed `closed` open breakers at once.
  void on_breakers_reset(int closed);
  // The same for the breakers of Teamtailor's connections.
  void on_teamtailor_breaker_change(const jobs::BreakerChange& change, int open_now);
  void on_teamtailor_breakers_reset(int closed);
  // Both gauges again from the breakers, each second with the queues': two changes on two
  // workers may set a gauge in the other order than they counted, and a reload's reset may
  // land after a breaker opened again; this puts it right within a second.
  void refresh_breakers(int vendors_open, int teamtailor_open);

 private:
  prometheus::Family<prometheus::Counter>& job_outcomes_;
  prometheus::Family<prometheus::Counter>& job_retries_;
  prometheus::Family<prometheus::Counter>& dead_letters_;
  prometheus::Family<prometheus::Gauge>& queued_;
  prometheus::Family<prometheus::Gauge>& running_;
  prometheus::Family<prometheus::Gauge>& dead_;
  prometheus::Family<prometheus::Gauge>& waiting_for_provider_;
  prometheus::Gauge& oldest_waiting_;
  prometheus::Counter& reconcile_polls_;
  prometheus::Gauge& breakers_open_;
  prometheus::Gauge& teamtailor_breakers_open_;
  std::set<std::pair<std::string, std::string>> gauge_keys_;  // refresh_queues' thread only
};

}  // namespace ttb::app
