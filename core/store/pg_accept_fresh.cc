// accept_order's usual case on PostgreSQL in one statement: a webhook never seen before. Step by
// step (pg_store.cc) it takes seven round trips (sighting, two lookups, four inserts), and under
// load the round trips, not the server's work, bound how many webhooks a writer connection
// stores per second. The data-modifying CTEs below do the same in one, and since nothing before
// it decides its text or parameters, it is sent ahead with its batch (pg_write_queue.cc).
//
// A batch of webhooks sends one such statement for all of them (PgStatement::for_rows), so the
// server's work per statement (bind, executor start and end, the tables' locks) is paid once per
// batch: in a pgbench model of six-webhook batches the server stored a fifth to two fifths more
// webhooks per second (docs/performance.md, "PostgreSQL: a batch's webhooks in one statement").
#include <bit>
#include <string>
#include <vector>

#include "store/pg_store.h"

namespace ttb::store {
namespace {

// A webhook's parameters in each row of the statement's VALUES, in order, with their casts.
constexpr const char* kRowCasts[] = {
    "",           // id
    "",           // event_id
    "",           // tenant
    "",           // provider
    "",           // test_id
    "",           // company_uuid
    "",           // candidate_json
    "",           // job_json
    "",           // options_json
    "",           // callback_url
    "",           // locale
    "::integer",  // answer_status
    "",           // answer_body
    "::bigint",   // at: received, now
    "::integer",  // max_attempts of the invite job
    "",           // detail: the timeline line's
};

std::string build_fresh_orders_sql(int rows) {
  // `n` numbers the rows; a row of NULLs (no id) is padding. `stored` has at most one row per n
  // (`fresh` has distinct ids), so each row is answered 1 or 0. Every CTE sees the same snapshot: a
  // row's order is stored when its event id was never sighted (an accepted webhook leaves no
  // sighting: its event id's row stands for it, see record_sighting), neither its event nor its
  // order id was known, and no earlier row of the statement has the same event or order id (that
  // later row then holds 0: step by step, after this statement, it finds the earlier one). Another
  // writer storing the same event or order meanwhile makes this a unique violation, which the
  // batch answers by running each write again alone. VALUES types its columns from the rows:
  // parameters that are not text are cast.
  std::string values;
  int parameter = 0;
  for (int row = 0; row < rows; ++row) {
    values += row == 0 ? "(" : ", (";
    values += std::to_string(row);
    for (const char* cast : kRowCasts) {
      values += ", $" + std::to_string(++parameter) + cast;
    }
    values += ')';
  }
  return "WITH given (n, id, event_id, tenant, provider, test_id, company_uuid, candidate_json,"
         "  job_json, options_json, callback_url, locale, answer_status, answer_body, at,"
         "  max_attempts, detail) AS (VALUES " +
         values +
         "),"
         " input AS (SELECT * FROM given WHERE id IS NOT NULL),"
         " fresh AS (SELECT i.* FROM input i"
         "  WHERE NOT EXISTS (SELECT 1 FROM webhook_sightings s WHERE s.event_id = i.event_id)"
         "  AND NOT EXISTS (SELECT 1 FROM webhook_events e WHERE e.event_id = i.event_id)"
         "  AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = i.id)"
         "  AND NOT EXISTS (SELECT 1 FROM input earlier WHERE earlier.n < i.n"
         "   AND (earlier.event_id = i.event_id OR earlier.id = i.id))),"
         " new_order AS ("
         "  INSERT INTO orders (id, event_id, tenant, provider, test_id, company_uuid,"
         "   candidate_json, job_json, options_json, callback_url, locale, status, failure_reason,"
         "   vendor_order_id, vendor_state_json, result_json, result_version, pushed_version,"
         "   answer_status, answer_body, created_at, updated_at, version, applied_revision)"
         "  SELECT id, event_id, tenant, provider, test_id, company_uuid, candidate_json, job_json,"
         "   options_json, callback_url, locale, 'received', '', '', '{}', '{}', 0, 0,"
         "   answer_status, answer_body, at, at, 1, NULL::bigint FROM fresh"
         "  RETURNING id),"
         " stored AS (SELECT f.* FROM fresh f JOIN new_order o ON o.id = f.id),"
         " event AS ("
         "  INSERT INTO webhook_events (event_id, order_id, received_at)"
         "  SELECT event_id, id, at FROM stored),"
         " job AS ("
         "  INSERT INTO jobs (order_id, tenant, provider, kind, state, attempts, max_attempts,"
         "   run_at, last_error, payload_json, created_at, updated_at)"
         "  SELECT id, tenant, provider, 'invite', 'queued', 0, max_attempts, at, '', '{}', at, at"
         "  FROM stored),"
         " line AS ("
         "  INSERT INTO timeline (order_id, at, source, event, detail)"
         "  SELECT id, at, 'teamtailor', 'received', detail FROM stored)"
         " SELECT i.n, (s.n IS NOT NULL)::integer FROM input i LEFT JOIN stored s ON s.n = i.n"
         " ORDER BY i.n";
}

// A batch pads its merged webhooks to a power of two of rows (PgStore::begin), at most
// kPgMaxBatch (64): those texts are built once.
constexpr int kBuiltSizes = 7;  // 1, 2, 4, … 64 rows

std::string fresh_orders_sql(int rows) {
  static const std::vector<std::string> built = [] {
    std::vector<std::string> texts;
    texts.reserve(kBuiltSizes);
    for (int size = 0; size < kBuiltSizes; ++size)
      texts.push_back(build_fresh_orders_sql(1 << size));
    return texts;
  }();
  const int size = std::countr_zero(static_cast<unsigned>(rows));
  if (std::has_single_bit(static_cast<unsigned>(rows)) && size < kBuiltSizes) return built[size];
  return build_fresh_orders_sql(rows);
}

}  // namespace

PgStatement fresh_order_statement(const NewOrder& order, std::int64_t now) {
  PgStatement statement{fresh_orders_sql(1), {}, &fresh_orders_sql};
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
      .add(NewJob{}.max_attempts)
      .add(order.timeline_detail);
  return statement;
}

bool fresh_order_stored(const PgResult& result, int row) {
  return result.int64(row, 1) > 0;
}

}  // namespace ttb::store
