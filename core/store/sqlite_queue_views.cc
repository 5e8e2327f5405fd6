// Read-only views of the job queue for metrics, per-tenant limits and reconciliation. Kept apart
// from sqlite_store.cc: these are new reads, not part of the write path.
#include "store/sqlite_store.h"

namespace ttb::store {
Result<std::vector<ProviderQueue>> SqliteStore::queue_by_provider() {
  return read<std::vector<ProviderQueue>>([](SqliteDb& db) -> Result<std::vector<ProviderQueue>> {
    auto q = db.prepare(
        "SELECT tenant, provider, "
        "SUM(state = 'queued'), SUM(state = 'running'), SUM(state = 'dead'), "
        "MIN(CASE WHEN state = 'queued' THEN run_at END) "
        "FROM jobs WHERE state IN ('queued', 'running', 'dead') "
        "GROUP BY tenant, provider ORDER BY tenant, provider");
    std::vector<ProviderQueue> out;
    while (q.step()) {
      ProviderQueue p;
      p.tenant = q.text(0);
      p.provider = q.text(1);
      p.queued = q.int64(2);
      p.running = q.int64(3);
      p.dead = q.int64(4);
      if (!q.is_null(5)) p.oldest_queued_run_at = from_ms(q.int64(5));
      out.push_back(std::move(p));
    }
    return out;
  });
}

Result<std::vector<QuietOrder>> SqliteStore::quiet_orders(TimePoint no_news_since, int limit) {
  return read<std::vector<QuietOrder>>([&](SqliteDb& db) -> Result<std::vector<QuietOrder>> {
    // A poll that ran since the cutoff counts as news asked for: an order the vendor has nothing
    // to say about is polled once per period, not at every sweep.
    auto q = db.prepare(
        "SELECT o.id, o.tenant, o.provider, o.updated_at FROM orders o "
        "WHERE o.status IN ('invited', 'in_progress') AND o.updated_at < $1 "
        "AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.order_id = o.id AND j.kind = 'poll' "
        "  AND (j.state IN ('queued', 'running') OR j.updated_at >= $1)) "
        "ORDER BY o.updated_at, o.id LIMIT $2");
    q.bind(1, to_ms(no_news_since)).bind(2, limit);
    std::vector<QuietOrder> out;
    while (q.step()) out.push_back({q.text(0), q.text(1), q.text(2), from_ms(q.int64(3))});
    return out;
  });
}

Result<ActivityCounts> SqliteStore::activity_between(TimePoint since, TimePoint until) {
  return read<ActivityCounts>([&](SqliteDb& db) -> Result<ActivityCounts> {
    ActivityCounts counts;
    auto by_status = db.prepare("SELECT status, COUNT(*) FROM orders GROUP BY status");
    while (by_status.step()) counts.orders_by_status[by_status.text(0)] = by_status.int64(1);
    auto created =
        db.prepare("SELECT COUNT(*) FROM orders WHERE created_at >= $1 AND created_at < $2");
    created.bind(1, to_ms(since)).bind(2, to_ms(until));
    if (created.step()) counts.orders_created = created.int64(0);
    // jobs_due (state, run_at) narrows to the done jobs; their updated_at is their finish.
    auto done = db.prepare(
        "SELECT COUNT(*) FROM jobs WHERE state = 'done' AND updated_at >= $1 AND updated_at < $2");
    done.bind(1, to_ms(since)).bind(2, to_ms(until));
    if (done.step()) counts.jobs_done = done.int64(0);
    return counts;
  });
}

}  // namespace ttb::store
