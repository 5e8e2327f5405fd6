#include "jobs/reconciler.h"

namespace ttb::jobs {

Reconciler::Reconciler(store::Store& store, ReconcileOptions options)
    : store_(store), options_(std::move(options)) {
  if (!options_.clock) options_.clock = [] { return std::chrono::system_clock::now(); };
}

Reconciler::Sweep Reconciler::sweep() {
  Sweep out;
  auto quiet = store_.quiet_orders(options_.clock() - options_.no_news_for, options_.batch);
  if (!quiet) {
    out.error = quiet.error().message;
    return out;
  }
  if (quiet->empty()) return out;
  // One commit for the whole sweep: group commit makes it one fsync.
  store::ChangeSet changes;
  for (const auto& order : *quiet) {
    store::NewJob poll;
    poll.order_id = order.id;
    poll.tenant = order.tenant;
    poll.provider = order.provider;
    poll.kind = store::JobKind::poll;
    // Not part of the regular poll chain: this poll does not schedule a next one.
    poll.payload_json = R"({"reconcile":true})";
    changes.new_jobs.push_back(std::move(poll));
  }
  auto committed = store_.commit(changes);
  if (!committed) {
    out.error = committed.error().message;
    return out;
  }
  out.polls_enqueued = static_cast<int>(committed->job_ids.size());
  return out;
}

}  // namespace ttb::jobs
