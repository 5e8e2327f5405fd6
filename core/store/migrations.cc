#include "store/migrations.h"

namespace ttb::store {
namespace {

std::vector<Migration> build(Dialect dialect) {
  const std::string serial =
      dialect == Dialect::sqlite ? "INTEGER PRIMARY KEY" : "BIGSERIAL PRIMARY KEY";
  std::vector<Migration> list;
  list.push_back({1, "orders, jobs, timeline, dedupe keys", R"(
CREATE TABLE orders (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL,
  tenant TEXT NOT NULL,
  provider TEXT NOT NULL,
  test_id TEXT NOT NULL,
  company_uuid TEXT NOT NULL,
  candidate_json TEXT NOT NULL,
  job_json TEXT NOT NULL,
  options_json TEXT NOT NULL,
  callback_url TEXT NOT NULL,
  locale TEXT NOT NULL,
  status TEXT NOT NULL,
  failure_reason TEXT NOT NULL,
  vendor_order_id TEXT NOT NULL,
  vendor_state_json TEXT NOT NULL,
  result_json TEXT NOT NULL,
  result_version BIGINT NOT NULL,
  pushed_version BIGINT NOT NULL,
  answer_status INTEGER NOT NULL,
  answer_body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE INDEX orders_by_tenant ON orders (tenant, status, created_at);
CREATE INDEX orders_by_vendor_id ON orders (tenant, provider, vendor_order_id);
CREATE TABLE webhook_events (
  event_id TEXT PRIMARY KEY,
  order_id TEXT NOT NULL REFERENCES orders (id),
  received_at BIGINT NOT NULL
);
CREATE TABLE jobs (
  id )" + serial + R"(,
  order_id TEXT NOT NULL REFERENCES orders (id),
  tenant TEXT NOT NULL,
  provider TEXT NOT NULL,
  kind TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  max_attempts INTEGER NOT NULL,
  run_at BIGINT NOT NULL,
  last_error TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX jobs_due ON jobs (state, run_at);
CREATE INDEX jobs_by_order ON jobs (order_id, state);
CREATE INDEX jobs_by_tenant ON jobs (tenant, state);
CREATE TABLE timeline (
  id )" + serial + R"(,
  order_id TEXT NOT NULL REFERENCES orders (id),
  at BIGINT NOT NULL,
  source TEXT NOT NULL,
  event TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX timeline_by_order ON timeline (order_id, id);
CREATE TABLE callback_events (
  tenant TEXT NOT NULL,
  provider TEXT NOT NULL,
  event_id TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (tenant, provider, event_id)
);
)"});
  list.push_back({2, "index of open orders by last update (reconciliation)", R"(
CREATE INDEX orders_by_status_updated ON orders (status, updated_at);
)"});
  list.push_back({3, "verified webhook event ids with their body digest (replay refusal)", R"(
CREATE TABLE webhook_sightings (
  event_id TEXT PRIMARY KEY,
  body_digest TEXT NOT NULL,
  received_at BIGINT NOT NULL
);
)"});
  list.push_back({4, "jobs waiting for their provider, as a column", R"(
ALTER TABLE jobs ADD COLUMN waiting_for_provider INTEGER NOT NULL DEFAULT 0;
UPDATE jobs SET waiting_for_provider = 1
  WHERE state = 'queued' AND substr(last_error, 1, 22) = 'waiting for provider: ';
)"});
  list.push_back({5, "retention: when an order's personal data was purged; event keys by age", R"(
ALTER TABLE orders ADD COLUMN purged_at BIGINT;
CREATE INDEX orders_to_purge ON orders (purged_at, status, updated_at);
CREATE INDEX webhook_sightings_by_age ON webhook_sightings (received_at);
CREATE INDEX callback_events_by_age ON callback_events (received_at);
)"});
  list.push_back({6, "the highest vendor revision applied per order (amended results)", R"(
ALTER TABLE orders ADD COLUMN applied_revision BIGINT;
)"});
  list.push_back(
      {7, "deaths: how often a job's plugin call died with its process (poison jobs)", R"(
ALTER TABLE jobs ADD COLUMN deaths INTEGER NOT NULL DEFAULT 0;
)"});
  // Pushes have their own workers (jobs.teamtailor_workers), which claim only pushes while the
  // vendor workers claim everything else. With one index of all queued jobs by run_at, a push
  // claim walked past every older queued invite before it found a push: with thousands queued,
  // each claim read them all. SQLite's claim names its kind in literal SQL
  // (sqlite_store.cc), so that its planner picks these. On PostgreSQL they made invitations
  // several times slower (docs/performance.md, "Claims by kind"): it has migration 9 instead.
  list.push_back({8, "due jobs indexed by who claims them (pushes, vendor work; SQLite only)",
                  dialect == Dialect::sqlite ? R"(
CREATE INDEX jobs_due_pushes ON jobs (state, run_at) WHERE kind = 'push';
CREATE INDEX jobs_due_vendor_work ON jobs (state, run_at) WHERE kind <> 'push';
)"
                                             : "SELECT 1;"});
  // PostgreSQL's claim reads queued jobs and expired leases in separate statements
  // (pg_claim.cc): one statement for both made its planner gather and sort every queued job on
  // each claim. These hold only queued jobs, in claim order, so a claim reads as many rows as it
  // takes.
  list.push_back({9, "queued jobs in claim order, by who claims them (PostgreSQL only)",
                  dialect == Dialect::postgresql ? R"(
CREATE INDEX jobs_queued_pushes ON jobs (run_at, id) WHERE state = 'queued' AND kind = 'push';
CREATE INDEX jobs_queued_vendor_work ON jobs (run_at, id) WHERE state = 'queued' AND kind <> 'push';
)"
                                                 : "SELECT 1;"});
  // The queue gauges count queued, running and dead jobs by tenant and provider once a second.
  // Through jobs_due they fetched every such row from the table: 50 ms with 45,000 queued, on a
  // reading connection the request path shares. This index answers them alone (5–8 ms). It
  // replaces jobs_by_tenant, which no query could use.
  list.push_back({10, "queued, running and dead jobs by tenant and provider, for the gauges", R"(
DROP INDEX jobs_by_tenant;
CREATE INDEX jobs_by_state_tenant ON jobs (state, tenant, provider, run_at);
)"});
  // PostgreSQL updates a job's row out of place whenever its state changes (state is in its
  // indexes), so every index of jobs takes a new entry at each claim, retry and finish. jobs_due
  // served only queries that others serve there: the claim reads migration 9's indexes,
  // next_due_at takes the earlier of their two minimums, and the rest find their rows through
  // jobs_by_state_tenant (docs/performance.md, "PostgreSQL: one index less per job move").
  // SQLite keeps it: its claim of every kind (ClaimRequest::Kinds::all) walks it.
  list.push_back({11,
                  "no jobs_due index: the partial indexes of queued jobs serve (PostgreSQL only)",
                  dialect == Dialect::postgresql ? "DROP INDEX IF EXISTS jobs_due;" : "SELECT 1;"});
  // Retention deletes an order's event ids and their sightings by the order (sqlite_retention.cc,
  // pg_retention.cc). With no index on order_id, each purged order read the whole table twice,
  // on the writer and with every webhook waiting: 62 ms per order at 500,000 event ids on
  // SQLite, some 3 s for a batch of 500 rows (docs/performance.md, "Retention read every event
  // id for each order").
  list.push_back({12, "webhook event ids by order (retention)", R"(
CREATE INDEX webhook_events_by_order ON webhook_events (order_id);
)"});
  // Every update of an order moves its updated_at, and with it an entry in each index that holds
  // it: a result's two updates moved two entries in this one and two in orders_to_purge, on the
  // writer. The reconciler's scan of open orders (quiet_orders) reads orders_to_purge instead:
  // an open order is never purged, so its entries there sit under purged_at NULL, by status and
  // updated_at, as they sat here (docs/performance.md, "One index less per order update").
  list.push_back({13, "no orders_by_status_updated: orders_to_purge serves the reconciler", R"(
DROP INDEX IF EXISTS orders_by_status_updated;
)"});
  // On PostgreSQL each row of jobs, timeline and webhook_events checked its order through its
  // foreign key, and the check locks the order's row (FOR KEY SHARE), which writes a WAL record:
  // three per webhook, seven per invitation. Without them the daemon stored about a sixth more
  // webhooks per second, each with a sixth less of the server's CPU (docs/performance.md,
  // "PostgreSQL: no foreign keys"). What they guarded holds without them: orders are never deleted,
  // every timeline line and event id is written in the transaction that writes or finds its order,
  // and a job is inserted from its order's row (PgStore::job_insert), so that a job of an unknown
  // order is refused as before. SQLite keeps its keys: its check is a lookup, with no lock.
  list.push_back({14, "no foreign keys to orders: the store guards them (PostgreSQL only)",
                  dialect == Dialect::postgresql ? R"(
ALTER TABLE jobs DROP CONSTRAINT IF EXISTS jobs_order_id_fkey;
ALTER TABLE timeline DROP CONSTRAINT IF EXISTS timeline_order_id_fkey;
ALTER TABLE webhook_events DROP CONSTRAINT IF EXISTS webhook_events_order_id_fkey;
)"
                                                 : "SELECT 1;"});
  // Jobs, timeline lines and event ids are found by their order. By its id, which the sender
  // picks at random, each of their three indexes took an entry on a page of its own for every
  // webhook, and jobs_by_order again at each move of a job (it holds the state): pages the writer
  // wrote to the WAL and the checkpointer copied back, one per entry. By seq, the order's place
  // in arrival order, the entries of recent orders sit together at the end of each index, and one
  // commit's webhooks share those pages (docs/performance.md, "Rows found by their order's
  // arrival"). The table is rebuilt, SQLite's documented way to change a table's key, so that seq
  // is the rowid: the index of ids holds it, and a row finds its order's seq there. The indexes
  // keep their names. PostgreSQL keeps its schema.
  if (dialect == Dialect::sqlite) {
    list.push_back(
        {15, "orders keyed by arrival (seq); their jobs, lines and event ids by it (SQLite only)",
         R"(
CREATE TABLE orders_by_arrival (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  event_id TEXT NOT NULL,
  tenant TEXT NOT NULL,
  provider TEXT NOT NULL,
  test_id TEXT NOT NULL,
  company_uuid TEXT NOT NULL,
  candidate_json TEXT NOT NULL,
  job_json TEXT NOT NULL,
  options_json TEXT NOT NULL,
  callback_url TEXT NOT NULL,
  locale TEXT NOT NULL,
  status TEXT NOT NULL,
  failure_reason TEXT NOT NULL,
  vendor_order_id TEXT NOT NULL,
  vendor_state_json TEXT NOT NULL,
  result_json TEXT NOT NULL,
  result_version BIGINT NOT NULL,
  pushed_version BIGINT NOT NULL,
  answer_status INTEGER NOT NULL,
  answer_body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL,
  purged_at BIGINT,
  applied_revision BIGINT
);
INSERT INTO orders_by_arrival SELECT rowid, id, event_id, tenant, provider, test_id, company_uuid,
  candidate_json, job_json, options_json, callback_url, locale, status, failure_reason,
  vendor_order_id, vendor_state_json, result_json, result_version, pushed_version, answer_status,
  answer_body, created_at, updated_at, version, purged_at, applied_revision
  FROM orders ORDER BY rowid;
DROP TABLE orders;
ALTER TABLE orders_by_arrival RENAME TO orders;
CREATE INDEX orders_by_tenant ON orders (tenant, status, created_at);
CREATE INDEX orders_by_vendor_id ON orders (tenant, provider, vendor_order_id);
CREATE INDEX orders_to_purge ON orders (purged_at, status, updated_at);
ALTER TABLE jobs ADD COLUMN order_seq INTEGER;
ALTER TABLE timeline ADD COLUMN order_seq INTEGER;
ALTER TABLE webhook_events ADD COLUMN order_seq INTEGER;
)" + sqlite_fill_order_seq("jobs") +
             sqlite_fill_order_seq("timeline") + sqlite_fill_order_seq("webhook_events") +
             R"(
DROP INDEX jobs_by_order;
CREATE INDEX jobs_by_order ON jobs (order_seq, state);
DROP INDEX timeline_by_order;
CREATE INDEX timeline_by_order ON timeline (order_seq, id);
DROP INDEX webhook_events_by_order;
CREATE INDEX webhook_events_by_order ON webhook_events (order_seq);
)",
         true});
  } else {
    list.push_back({15, "orders keyed by arrival (SQLite only)", "SELECT 1;"});
  }
  // A claim's lease, in columns of its own: the daemon that holds the job and when its lease
  // ends (StoreOptions::lease_owner, job_lease). PostgreSQL's claims and renewals write them
  // (pg_claim.cc, pg_job_leases.cc); a job whose claimer's lease is longer than the taker's is
  // not taken over before it ends, and an operator sees which daemon runs a job. A claim made
  // before this migration, or by a daemon of an older build, has none: its lease ends one
  // jobs.lease_s after its claim time (updated_at), as before. SQLite, with one daemon, leaves
  // them empty; both schemas have them, so that `ttbridge store copy` copies jobs either way.
  list.push_back({16, "job leases: the daemon holding a running job and when its lease ends", R"(
ALTER TABLE jobs ADD COLUMN lease_owner TEXT;
ALTER TABLE jobs ADD COLUMN lease_expires_at BIGINT;
)"});
  // The claim's fencing token in a column that only rises (JobRecord::claims). It was the
  // attempt count, which a deferral lowers and an operator's requeue resets: a later claim could
  // then carry the token of an overtaken one, whose late finish or lease renewal would apply to
  // the new holder's run. A running job's is filled from attempts, so a claim made before the
  // migration, by a daemon of an older build, keeps a token that matches; other jobs have no
  // holder, and a store's done jobs (millions, kept 90 days) are not rewritten at start.
  list.push_back({17, "job claims: the fencing token that only rises", R"(
ALTER TABLE jobs ADD COLUMN claims INTEGER NOT NULL DEFAULT 0;
UPDATE jobs SET claims = attempts WHERE state = 'running';
)"});
  return list;
}

}  // namespace

const std::vector<std::string>& sqlite_order_seq_tables() {
  static const std::vector<std::string> tables = {"jobs", "timeline", "webhook_events"};
  return tables;
}

std::string sqlite_fill_order_seq(const std::string& table) {
  return "UPDATE " + table + " SET order_seq = (SELECT seq FROM orders WHERE orders.id = " + table +
         ".order_id) WHERE order_seq IS NULL;\n";
}

const std::vector<Migration>& migrations(Dialect dialect) {
  static const std::vector<Migration> sqlite = build(Dialect::sqlite);
  static const std::vector<Migration> postgresql = build(Dialect::postgresql);
  return dialect == Dialect::sqlite ? sqlite : postgresql;
}

}  // namespace ttb::store
