// Retention (Store::purge_expired) on PostgreSQL: the same batches as sqlite_retention.cc, each
// one transaction. The candidate's id is kept by parsing candidate_json here rather than in SQL,
// so a malformed document empties instead of failing the whole batch.
#include <nlohmann/json.hpp>

#include <algorithm>

#include "store/pg_store.h"
#include "store/sqlite_store.h"  // to_ms

namespace ttb::store {
namespace {

// {"id": <the candidate's id>} of a candidate document, or {} when it has none.
std::string candidate_id_only(const std::string& candidate_json) {
  const auto candidate = nlohmann::json::parse(candidate_json, nullptr, false);
  if (candidate.is_object() && candidate.contains("id")) {
    return nlohmann::json{{"id", candidate["id"]}}.dump();
  }
  return "{}";
}

}  // namespace

Result<Purged> PgStore::purge_expired(const PurgeRequest& request) {
  return write<Purged>([this, &request](PgConnection& db) -> Result<Purged> {
    Purged purged;
    int budget = std::max(1, request.max_rows);
    const std::int64_t cutoff = to_ms(request.finished_before);
    const std::int64_t now = now_ms();

    // Not sorted, as on SQLite (sqlite_retention.cc): a sort reads every expired order per batch.
    auto expired = db.exec(
        "SELECT id, candidate_json FROM orders WHERE purged_at IS NULL "
        "AND status = ANY ($1::text[]) AND updated_at < $2 "
        "LIMIT $3 FOR UPDATE SKIP LOCKED",
        PgParams().add_array(request.finished_statuses).add(cutoff).add(budget));
    for (int i = 0; i < expired.rows() && budget > 0; ++i) {
      const std::string id = expired.text(i, 0);
      const PgParams by_order = PgParams().add(id);
      // Sightings first: they are found through the order's event ids.
      const int sighting_rows = db.exec(
                                      "DELETE FROM webhook_sightings WHERE event_id IN "
                                      "(SELECT event_id FROM webhook_events WHERE order_id = $1)",
                                      by_order)
                                    .affected();
      const int event_rows =
          db.exec("DELETE FROM webhook_events WHERE order_id = $1", by_order).affected();
      const int line_rows =
          db.exec("DELETE FROM timeline WHERE order_id = $1", by_order).affected();
      const int job_rows =
          db.exec("DELETE FROM jobs WHERE order_id = $1 AND state = 'done'", by_order).affected();
      db.exec("UPDATE orders SET purged_at = $2, candidate_json = $3 WHERE id = $1",
              PgParams().add(id).add(now).add(candidate_id_only(expired.text(i, 1))));
      ++purged.orders;
      purged.event_keys += sighting_rows + event_rows;
      purged.timeline_lines += line_rows;
      purged.jobs += job_rows;
      budget -= 1 + sighting_rows + event_rows + line_rows + job_rows;
    }

    if (budget > 0) {
      const int n = db.exec(
                          "DELETE FROM webhook_sightings WHERE event_id IN (SELECT s.event_id "
                          "FROM webhook_sightings s WHERE s.received_at < $1 AND NOT EXISTS "
                          "(SELECT 1 FROM webhook_events e WHERE e.event_id = s.event_id) "
                          "LIMIT $2)",
                          PgParams().add(cutoff).add(budget))
                        .affected();
      purged.old_event_keys += n;
      budget -= n;
    }
    if (budget > 0) {
      purged.old_event_keys +=
          db.exec(
                "DELETE FROM callback_events WHERE (tenant, provider, event_id) IN "
                "(SELECT tenant, provider, event_id FROM callback_events "
                "WHERE received_at < $1 LIMIT $2)",
                PgParams().add(cutoff).add(budget))
              .affected();
    }
    return purged;
  });
}

}  // namespace ttb::store
