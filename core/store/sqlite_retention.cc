// Retention (Store::purge_expired) on SQLite: small batches, each one write in the group commit,
// so a long purge never holds the writer for long. Kept apart from sqlite_store.cc: it is
// housekeeping, not part of an order's path.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "store/sqlite_store.h"

namespace ttb::store {
namespace {

// Deletes or updates with `s` and returns how many rows it touched.
int touched(Statement& s) {
  s.run();
  return s.changes();
}

}  // namespace

Result<Purged> SqliteStore::purge_expired(const PurgeRequest& request) {
  return write<Purged>([this, &request](SqliteDb& db) -> Result<Purged> {
    Purged purged;
    int budget = std::max(1, request.max_rows);
    const std::int64_t cutoff = to_ms(request.finished_before);
    const std::int64_t now = now_ms();

    // Finished orders past the window, each purged once (purged_at), in the order of
    // orders_to_purge (status by status, oldest first within each). Not sorted: the sort read every
    // expired order for each batch, on the writer, 128 ms at 300,000 of them, where this reads
    // the batch's own (docs/performance.md, "Retention read every event id for each order").
    // Each by its seq, the key its rows are found by (migration 15).
    std::vector<std::int64_t> expired;
    {
      auto q = db.prepare(
          "SELECT seq FROM orders WHERE purged_at IS NULL "
          "AND status IN (SELECT value FROM json_each($1)) AND updated_at < $2 "
          "LIMIT $3");
      q.bind(1, json_array(request.finished_statuses)).bind(2, cutoff).bind(3, budget);
      while (q.step()) expired.push_back(q.int64(0));
    }
    for (const std::int64_t seq : expired) {
      if (budget <= 0) break;
      // Sightings first: they are found through the order's event ids.
      auto sightings = db.prepare(
          "DELETE FROM webhook_sightings WHERE event_id IN "
          "(SELECT event_id FROM webhook_events WHERE order_seq = $1)");
      const int sighting_rows = touched(sightings.bind(1, seq));
      auto events = db.prepare("DELETE FROM webhook_events WHERE order_seq = $1");
      const int event_rows = touched(events.bind(1, seq));
      auto lines = db.prepare("DELETE FROM timeline WHERE order_seq = $1");
      const int line_rows = touched(lines.bind(1, seq));
      auto jobs = db.prepare("DELETE FROM jobs WHERE order_seq = $1 AND state = 'done'");
      const int job_rows = touched(jobs.bind(1, seq));
      // The candidate keeps only its id: name, email and phone go. Status, result, answer and
      // the order's own ids stay, so the order still answers what became of it.
      auto order = db.prepare(
          "UPDATE orders SET purged_at = $2, candidate_json = CASE "
          "WHEN json_valid(candidate_json) AND json_type(candidate_json, '$.id') IS NOT NULL "
          "THEN json_object('id', json_extract(candidate_json, '$.id')) ELSE '{}' END "
          "WHERE seq = $1");
      touched(order.bind(1, seq).bind(2, now));
      ++purged.orders;
      purged.event_keys += sighting_rows + event_rows;
      purged.timeline_lines += line_rows;
      purged.jobs += job_rows;
      budget -= 1 + sighting_rows + event_rows + line_rows + job_rows;
    }

    // Keys that belong to no order: sightings of webhooks never accepted (or whose order was
    // purged above) and vendors' callback event ids, once older than the window.
    if (budget > 0) {
      auto sightings = db.prepare(
          "DELETE FROM webhook_sightings WHERE rowid IN (SELECT s.rowid FROM webhook_sightings s "
          "WHERE s.received_at < $1 AND NOT EXISTS "
          "(SELECT 1 FROM webhook_events e WHERE e.event_id = s.event_id) LIMIT $2)");
      const int n = touched(sightings.bind(1, cutoff).bind(2, budget));
      purged.old_event_keys += n;
      budget -= n;
    }
    if (budget > 0) {
      auto callbacks = db.prepare(
          "DELETE FROM callback_events WHERE rowid IN "
          "(SELECT rowid FROM callback_events WHERE received_at < $1 LIMIT $2)");
      purged.old_event_keys += touched(callbacks.bind(1, cutoff).bind(2, budget));
    }
    return purged;
  });
}

}  // namespace ttb::store
