// Read-only views of the job queue on PostgreSQL, for metrics, per-tenant limits and
// reconciliation (as sqlite_queue_views.cc).
#include "store/pg_store.h"
#include "store/sqlite_store.h"  // to_ms, from_ms

namespace ttb::store {

Result<QueueStats> PgStore::queue_stats() {
  return read<QueueStats>([](PgConnection& db) -> Result<QueueStats> {
    QueueStats stats;
    auto q = db.exec(
        "SELECT state, COUNT(*), MIN(run_at) FROM jobs "
        "WHERE state IN ('queued', 'running', 'dead') GROUP BY state");
    for (int i = 0; i < q.rows(); ++i) {
      const std::string state = q.text(i, 0);
      if (state == "queued") {
        stats.queued = q.int64(i, 1);
        stats.oldest_queued_run_at = from_ms(q.int64(i, 2));
      } else if (state == "running") {
        stats.running = q.int64(i, 1);
      } else {
        stats.dead = q.int64(i, 1);
      }
    }
    return stats;
  });
}

Result<std::vector<ProviderQueue>> PgStore::queue_by_provider() {
  return read<std::vector<ProviderQueue>>(
      [](PgConnection& db) -> Result<std::vector<ProviderQueue>> {
        auto q = db.exec(
            "SELECT tenant, provider, COUNT(*) FILTER (WHERE state = 'queued'), "
            "COUNT(*) FILTER (WHERE state = 'running'), COUNT(*) FILTER (WHERE state = 'dead'), "
            "MIN(run_at) FILTER (WHERE state = 'queued') "
            "FROM jobs WHERE state IN ('queued', 'running', 'dead') "
            "GROUP BY tenant, provider ORDER BY tenant, provider");
        std::vector<ProviderQueue> out;
        out.reserve(static_cast<size_t>(q.rows()));
        for (int i = 0; i < q.rows(); ++i) {
          ProviderQueue p;
          p.tenant = q.text(i, 0);
          p.provider = q.text(i, 1);
          p.queued = q.int64(i, 2);
          p.running = q.int64(i, 3);
          p.dead = q.int64(i, 4);
          if (!q.is_null(i, 5)) p.oldest_queued_run_at = from_ms(q.int64(i, 5));
          out.push_back(std::move(p));
        }
        return out;
      });
}

Result<std::vector<QuietOrder>> PgStore::quiet_orders(TimePoint no_news_since, int limit) {
  return read<std::vector<QuietOrder>>([&](PgConnection& db) -> Result<std::vector<QuietOrder>> {
    // A poll that ran since the cutoff counts as news asked for, and purged_at IS NULL walks
    // orders_to_purge (see sqlite_queue_views.cc).
    auto q = db.exec(
        "SELECT o.id, o.tenant, o.provider, o.updated_at FROM orders o "
        "WHERE o.purged_at IS NULL AND o.status IN ('invited', 'in_progress') "
        "AND o.updated_at < $1 "
        "AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.order_id = o.id AND j.kind = 'poll' "
        "  AND (j.state IN ('queued', 'running') OR j.updated_at >= $1)) "
        "ORDER BY o.updated_at, o.id LIMIT $2",
        PgParams().add(to_ms(no_news_since)).add(limit));
    std::vector<QuietOrder> out;
    out.reserve(static_cast<size_t>(q.rows()));
    for (int i = 0; i < q.rows(); ++i) {
      out.push_back({q.text(i, 0), q.text(i, 1), q.text(i, 2), from_ms(q.int64(i, 3))});
    }
    return out;
  });
}

Result<std::map<std::string, std::int64_t>> PgStore::orders_by_status() {
  using Counts = std::map<std::string, std::int64_t>;
  return read<Counts>([&](PgConnection& db) -> Result<Counts> {
    Counts counts;
    auto q = db.exec("SELECT status, COUNT(*) FROM orders GROUP BY status");
    for (int i = 0; i < q.rows(); ++i) counts[q.text(i, 0)] = q.int64(i, 1);
    return counts;
  });
}

Result<ActivityCounts> PgStore::activity_between(TimePoint since, TimePoint until) {
  return read<ActivityCounts>([&](PgConnection& db) -> Result<ActivityCounts> {
    ActivityCounts counts;
    auto created = db.exec("SELECT COUNT(*) FROM orders WHERE created_at >= $1 AND created_at < $2",
                           PgParams().add(to_ms(since)).add(to_ms(until)));
    counts.orders_created = created.int64(0, 0);
    // A done job's updated_at is its finish.
    auto done = db.exec(
        "SELECT COUNT(*) FROM jobs WHERE state = 'done' AND updated_at >= $1 AND updated_at < $2",
        PgParams().add(to_ms(since)).add(to_ms(until)));
    counts.jobs_done = done.int64(0, 0);
    return counts;
  });
}

}  // namespace ttb::store
