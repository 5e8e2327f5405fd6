// Read-only views of the job queue for metrics, per-tenant limits and reconciliation. Kept apart
// from sqlite_store.cc: these are new reads, not part of the write path.
#include <map>
#include <string>
#include <utility>

#include "store/sqlite_store.h"

namespace ttb::store {
namespace {

// Adds one row of `state, COUNT(*), MIN(run_at)`, from column `first` on, to `counts` (a
// QueueStats or a ProviderQueue).
template <class Counts>
void add_state_row(const Statement& q, int first, Counts& counts) {
  const std::string state = q.text(first);
  const std::int64_t count = q.int64(first + 1);
  if (state == "queued") {
    counts.queued = count;
    counts.oldest_queued_run_at = from_ms(q.int64(first + 2));
  } else if (state == "running") {
    counts.running = count;
  } else {
    counts.dead = count;
  }
}

}  // namespace

Result<QueueStats> SqliteStore::queue_stats() {
  return read<QueueStats>([](SqliteDb& db) -> Result<QueueStats> {
    QueueStats stats;
    auto q = db.prepare(
        "SELECT state, COUNT(*), MIN(run_at) FROM jobs "
        "WHERE state IN ('queued', 'running', 'dead') GROUP BY state");
    while (q.step()) add_state_row(q, 0, stats);
    return stats;
  });
}

Result<std::vector<ProviderQueue>> SqliteStore::queue_by_provider() {
  return read<std::vector<ProviderQueue>>([](SqliteDb& db) -> Result<std::vector<ProviderQueue>> {
    // Grouped by state first, so that SQLite reads jobs_by_state_tenant alone and in order
    // (migration 10); the three states' rows are merged here.
    auto q = db.prepare(
        "SELECT tenant, provider, state, COUNT(*), MIN(run_at) FROM jobs "
        "WHERE state IN ('queued', 'running', 'dead') GROUP BY state, tenant, provider");
    std::map<std::pair<std::string, std::string>, ProviderQueue> by_provider;
    while (q.step()) add_state_row(q, 2, by_provider[{q.text(0), q.text(1)}]);
    std::vector<ProviderQueue> out;
    out.reserve(by_provider.size());
    for (auto& [key, p] : by_provider) {
      p.tenant = key.first;
      p.provider = key.second;
      out.push_back(std::move(p));
    }
    return out;
  });
}

Result<std::vector<QuietOrder>> SqliteStore::quiet_orders(TimePoint no_news_since, int limit) {
  return read<std::vector<QuietOrder>>([&](SqliteDb& db) -> Result<std::vector<QuietOrder>> {
    // A poll that ran since the cutoff counts as news asked for: an order the vendor has nothing
    // to say about is polled once per period, not at every sweep. An open order is never purged
    // (only finished ones are, and a status never goes back), so purged_at IS NULL holds for
    // every row wanted: it is there to walk orders_to_purge (migration 13).
    auto q = db.prepare(
        "SELECT o.id, o.tenant, o.provider, o.updated_at FROM orders o "
        "WHERE o.purged_at IS NULL AND o.status IN ('invited', 'in_progress') "
        "AND o.updated_at < $1 "
        "AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.order_seq = o.seq AND j.kind = 'poll' "
        "  AND (j.state IN ('queued', 'running') OR j.updated_at >= $1)) "
        "ORDER BY o.updated_at, o.id LIMIT $2");
    q.bind(1, to_ms(no_news_since)).bind(2, limit);
    std::vector<QuietOrder> out;
    while (q.step()) out.push_back({q.text(0), q.text(1), q.text(2), from_ms(q.int64(3))});
    return out;
  });
}

Result<std::map<std::string, std::int64_t>> SqliteStore::orders_by_status() {
  using Counts = std::map<std::string, std::int64_t>;
  return read<Counts>([&](SqliteDb& db) -> Result<Counts> {
    Counts counts;
    auto q = db.prepare("SELECT status, COUNT(*) FROM orders GROUP BY status");
    while (q.step()) counts[q.text(0)] = q.int64(1);
    return counts;
  });
}

Result<ActivityCounts> SqliteStore::activity_between(TimePoint since, TimePoint until) {
  return read<ActivityCounts>([&](SqliteDb& db) -> Result<ActivityCounts> {
    ActivityCounts counts;
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
