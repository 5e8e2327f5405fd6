// accept_order's usual case on PostgreSQL in one statement: a webhook never seen before. Step by
// step (pg_store.cc) it takes seven round trips (sighting, two lookups, four inserts), and under
// load the round trips, not the server's work, bound how many webhooks a writer connection
// stores per second. The data-modifying CTEs below do the same in one, and since nothing before
// it decides its text or parameters, it is sent ahead with its batch (pg_write_queue.cc).
#include "store/pg_store.h"

namespace ttb::store {

PgStatement fresh_order_statement(const NewOrder& order, std::int64_t now) {
  // Every CTE sees the same snapshot: the order is inserted only when this statement recorded the
  // sighting and neither the event nor the order id was known. Another writer inserting the same
  // order meanwhile makes it a unique violation, which write() answers by running again.
  // Parameters that are not text are cast: INSERT … SELECT does not infer them from the columns.
  PgStatement statement{
      "WITH sighting AS ("
      "  INSERT INTO webhook_sightings (event_id, body_digest, received_at)"
      "  VALUES ($2, $15, $14::bigint) ON CONFLICT DO NOTHING RETURNING 1),"
      " fresh AS (SELECT 1 FROM sighting"
      "  WHERE NOT EXISTS (SELECT 1 FROM webhook_events WHERE event_id = $2)"
      "  AND NOT EXISTS (SELECT 1 FROM orders WHERE id = $1)),"
      " new_order AS ("
      "  INSERT INTO orders (id, event_id, tenant, provider, test_id, company_uuid, candidate_json,"
      "   job_json, options_json, callback_url, locale, status, failure_reason, vendor_order_id,"
      "   vendor_state_json, result_json, result_version, pushed_version, answer_status,"
      "   answer_body, created_at, updated_at, version, applied_revision)"
      "  SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'received', '', '', '{}', '{}', 0,"
      "   0, $12::integer, $13, $14::bigint, $14::bigint, 1, NULL::bigint FROM fresh"
      "  RETURNING id),"
      " event AS ("
      "  INSERT INTO webhook_events (event_id, order_id, received_at)"
      "  SELECT $2, id, $14::bigint FROM new_order),"
      " job AS ("
      "  INSERT INTO jobs (order_id, tenant, provider, kind, state, attempts, max_attempts, run_at,"
      "   last_error, payload_json, created_at, updated_at)"
      "  SELECT id, $3, $4, 'invite', 'queued', 0, $16::integer, $14::bigint, '', '{}',"
      "   $14::bigint, $14::bigint FROM new_order),"
      " line AS ("
      "  INSERT INTO timeline (order_id, at, source, event, detail)"
      "  SELECT id, $14::bigint, 'teamtailor', 'received', $17 FROM new_order)"
      " SELECT count(*) FROM new_order",
      {}};
  statement.params.add(order.id)
      .add(order.event_id)
      .add(order.tenant)
      .add(order.provider)
      .add(order.test_id)
      .add(order.company_uuid)
      .add(order.candidate_json.empty() ? std::string("{}") : order.candidate_json)
      .add(order.job_json.empty() ? std::string("{}") : order.job_json)
      .add(order.options_json.empty() ? std::string("{}") : order.options_json)
      .add(order.callback_url)
      .add(order.locale)
      .add(order.answer_status)
      .add(order.answer_body)
      .add(now)
      .add(order.sighting_digest)
      .add(NewJob{}.max_attempts)
      .add(order.timeline_detail);
  return statement;
}

}  // namespace ttb::store
