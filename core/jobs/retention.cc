#include "jobs/retention.h"

#include "orders/order_status.h"

namespace ttb::jobs {
namespace {

void add(store::Purged& sum, const store::Purged& batch) {
  sum.orders += batch.orders;
  sum.timeline_lines += batch.timeline_lines;
  sum.jobs += batch.jobs;
  sum.event_keys += batch.event_keys;
  sum.old_event_keys += batch.old_event_keys;
}

}  // namespace

Retention::Retention(store::Store& store, RetentionOptions options)
    : store_(store), options_(std::move(options)) {
  if (!options_.clock) options_.clock = [] { return std::chrono::system_clock::now(); };
}

Retention::Run Retention::run() {
  Run out;
  if (options_.days <= 0) return out;
  store::PurgeRequest request;
  request.finished_before = options_.clock() - std::chrono::hours(24) * options_.days;
  request.max_rows = options_.batch;
  // The store keeps statuses as text; which of them are final is orders/' knowledge.
  for (auto status : {orders::OrderStatus::received, orders::OrderStatus::invited,
                      orders::OrderStatus::in_progress, orders::OrderStatus::completed,
                      orders::OrderStatus::failed}) {
    if (orders::is_terminal(status)) request.finished_statuses.emplace_back(to_string(status));
  }
  while (out.batches < options_.max_batches) {
    auto purged = store_.purge_expired(request);
    if (!purged) {
      out.error = purged.error().message;
      return out;
    }
    ++out.batches;
    add(out.purged, *purged);
    if (purged->total() == 0) break;
  }
  return out;
}

}  // namespace ttb::jobs
