// claim_due_jobs on PostgreSQL, where several daemons claim from one table. Candidates are locked
// with FOR UPDATE SKIP LOCKED (two daemons get disjoint sets without waiting on each other); each
// candidate's order row is locked too, SKIP LOCKED, and the job is then marked running by a
// statement that checks again, with a snapshot taken after that lock, that no other job of the
// order runs: so jobs of one order never run at once, even when two daemons claim together.
// A running job whose lease has ended is claimable again: its daemon is presumed dead. A lease
// ends once both the claimer's lease (lease_expires_at, migration 16) and the taker's own
// (StoreOptions::job_lease after the claim or its last renewal, updated_at) have run out: so a
// daemon with a longer jobs.lease_s is not overtaken early, and a claim of an older build, which
// writes no lease_expires_at, still holds for one lease.
//
// Expired leases and queued jobs are read by two statements. One statement with
// `(queued AND due) OR (running AND expired)` cannot walk an index in claim order: PostgreSQL's
// planner gathered every queued job, due or not, and sorted them on each claim, which took most
// of the database's CPU per invitation (docs/performance.md, "PostgreSQL: the claim"). The
// queued statement reads the partial index of its kind (migration 9) in claim order and stops
// after as many rows as it needs.
//
// Both run with a generic plan, asked for by a statement before them. PostgreSQL's plan cache
// re-plans a prepared statement for each execution while its generic plan's estimate is above
// that of the plans made for the actual values, and with `LIMIT $4` unknown the generic plan
// is costed for a tenth of the rows: so the candidates were planned on most claims, the
// same plan each time, and planning took more of the database's CPU than running them
// (docs/performance.md, "PostgreSQL: the claims' candidates planned on most calls").
#include <algorithm>

#include "store/claim_sql.h"
#include "store/pg_store.h"
#include "store/sqlite_store.h"  // to_ms, from_ms

namespace ttb::store {
namespace {

// Whether the running job `alias` is still held: its claim time is at or after `claim_limit` (now
// less this daemon's lease, in ms) or its claimer's lease ends at or after `now`. A claim without
// lease_expires_at holds by its claim time alone; COALESCE keeps `NOT` of this true for it.
std::string lease_holds(const std::string& alias, const char* claim_limit = "$1",
                        const char* now = "$5") {
  return "(" + alias + ".updated_at >= " + claim_limit + " OR COALESCE(" + alias +
         ".lease_expires_at, 0) >= " + now + ")";
}

// Marks a candidate running under this claim, after a second look (this file's header): $1 the
// job, $2 the claim's time, $3 due and the now its lease is held against, $4 the limit of this
// daemon's lease, $5 the owner, $6 when the lease ends.
const std::string& mark_running_sql() {
  static const std::string sql =
      "UPDATE jobs j SET state = 'running', attempts = attempts + 1, claims = claims + 1, "
      "waiting_for_provider = 0, updated_at = $2, lease_owner = $5, lease_expires_at = $6"
      " WHERE j.id = $1"
      " AND ((j.state = 'queued' AND j.run_at <= $3) OR (j.state = 'running' AND NOT " +
      lease_holds("j", "$4", "$3") +
      "))"
      " AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.order_id = j.order_id"
      "   AND r.state = 'running' AND " +
      lease_holds("r", "$4", "$3") +
      "   AND r.id <> j.id)"
      " RETURNING attempts, claims";
  return sql;
}

// The conditions both candidate statements share. A running job holds its order only while its
// lease lasts ($1, $5); $2 the tenants and $3 the "tenant/provider" pairs to skip; the kind
// condition is literal (claim_sql.h).
std::string shared_conditions(ClaimRequest::Kinds kinds) {
  std::string sql = claim_kind_condition(kinds);
  sql +=
      " AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.order_id = j.order_id"
      "   AND r.state = 'running' AND " +
      lease_holds("r") +
      " AND r.id <> j.id)"
      " AND (j.kind <> 'push' OR NOT EXISTS (SELECT 1 FROM jobs p"
      "   WHERE p.order_id = j.order_id AND p.kind = 'push'"
      "   AND p.state IN ('queued', 'running') AND p.id < j.id))"
      " AND j.tenant <> ALL ($2::text[])"
      " AND (j.tenant || '/' || j.provider) <> ALL ($3::text[])";
  return sql;
}

// Running jobs whose lease ended, oldest claim first. $4 the row limit, $5 now (ms).
std::string expired_candidates_sql(ClaimRequest::Kinds kinds) {
  return std::string("SELECT ") + kPgJobColumns +
         " FROM jobs j WHERE j.state = 'running' AND NOT " + lease_holds("j") +
         shared_conditions(kinds) +
         " ORDER BY j.updated_at, j.id LIMIT $4 FOR UPDATE OF j SKIP LOCKED";
}

// Due queued jobs, in claim order. $4 the row limit, $5 now (ms).
std::string queued_candidates_sql(ClaimRequest::Kinds kinds) {
  return std::string("SELECT ") + kPgJobColumns +
         " FROM jobs j WHERE j.state = 'queued' AND j.run_at <= $5" + shared_conditions(kinds) +
         " ORDER BY j.run_at, j.id LIMIT $4 FOR UPDATE OF j SKIP LOCKED";
}

// The statement texts, built once per kind (ClaimRequest::Kinds is 0, 1, 2).
const std::string& candidates_sql(ClaimRequest::Kinds kinds, bool expired) {
  static const std::string sql[2][3] = {{queued_candidates_sql(ClaimRequest::Kinds::all),
                                         queued_candidates_sql(ClaimRequest::Kinds::pushes),
                                         queued_candidates_sql(ClaimRequest::Kinds::vendor_work)},
                                        {expired_candidates_sql(ClaimRequest::Kinds::all),
                                         expired_candidates_sql(ClaimRequest::Kinds::pushes),
                                         expired_candidates_sql(ClaimRequest::Kinds::vendor_work)}};
  return sql[expired ? 1 : 0][static_cast<int>(kinds)];
}

// Generic plans for the rest of the claim's transaction (this file's header). Local: it ends with
// the transaction, which is the claim's own (claim_due_jobs, or a commit with a riding claim);
// set for the whole connection, it would also take PostgreSQL's choice from every other write.
constexpr const char* kGenericPlans =
    "SELECT set_config('plan_cache_mode', 'force_generic_plan', true)";

// A claim's two instants: due (its `now`) and the limit before which a running job's claim
// time is older than this daemon's lease.
struct ClaimTimes {
  std::int64_t due;
  std::int64_t lease_expired_before;
};

ClaimTimes claim_times(const ClaimRequest& request, std::chrono::milliseconds lease) {
  const std::int64_t due = to_ms(request.now);
  return {due, due - lease.count()};
}

// A few candidates beyond the limit, for those passed by (admission refused, order held by
// another daemon). Not SQLite's four times as many: here each candidate is locked, which writes
// the lock into its row (WAL included) and hides it from every other claim until this one
// commits. With 20 per claim, invitations were a third slower (docs/performance.md,
// "PostgreSQL: the claim").
std::int64_t wanted_candidates(const ClaimRequest& request) {
  return std::int64_t{request.limit} + 3;
}

}  // namespace

Result<std::vector<JobRecord>> PgStore::claim_due_jobs(const ClaimRequest& request) {
  if (request.limit <= 0) return std::vector<JobRecord>{};
  return write<std::vector<JobRecord>>(
      [this, &request](PgConnection& db) -> Result<std::vector<JobRecord>> {
        return claim_in(db, request, now_ms());
      });
}

std::vector<PgStatement> PgStore::claim_candidates(const ClaimRequest& request) const {
  // Expired leases first, since their orders have waited longest, then due queued jobs, each
  // asked for all the candidates wanted: the two go out in one round trip. When some lease has
  // expired (a daemon died), the queued candidates beyond those wanted stay locked, unused, until
  // this claim commits: rare, and cheaper than the round trip that sizing the second statement
  // by the first would cost every claim.
  const ClaimTimes times = claim_times(request, options().job_lease);
  std::vector<PgStatement> statements;
  statements.push_back({kGenericPlans, PgParams()});
  for (const bool expired : {true, false}) {
    PgParams params;
    params.add(times.lease_expired_before)
        .add_array(request.skip_tenants)
        .add_array(request.skip_providers)
        .add(wanted_candidates(request))
        .add(times.due);
    statements.push_back({candidates_sql(request.kinds, expired), std::move(params)});
  }
  return statements;
}

std::vector<JobRecord> PgStore::claim_in(PgConnection& db, const ClaimRequest& request,
                                         std::int64_t now) {
  if (request.limit <= 0) return {};
  const std::vector<PgStatement> statements = claim_candidates(request);
  std::vector<const PgStatement*> pipeline;
  pipeline.reserve(statements.size());
  for (const auto& statement : statements) pipeline.push_back(&statement);
  const std::vector<PgResult> found = db.exec_pipeline(pipeline);
  return claim_from(db, request, now, found[found.size() - 2], found.back());
}

std::vector<JobRecord> PgStore::claim_from(PgConnection& db, const ClaimRequest& request,
                                           std::int64_t now, const PgResult& expired,
                                           const PgResult& queued) {
  const ClaimTimes times = claim_times(request, options().job_lease);
  const std::int64_t lease_ends = lease_end_ms(now);
  std::vector<JobRecord> candidates;
  for (const PgResult* rows : {&expired, &queued}) {
    for (int i = 0; i < rows->rows() && std::ssize(candidates) < wanted_candidates(request); ++i) {
      candidates.push_back(read_pg_job(*rows, i));
    }
  }
  std::vector<JobRecord> claimed;
  std::vector<std::string> orders;
  for (auto& job : candidates) {
    if (static_cast<int>(claimed.size()) >= request.limit) break;
    if (std::find(orders.begin(), orders.end(), job.order_id) != orders.end()) continue;
    if (request.admit && !request.admit(job.tenant, job.provider)) continue;
    // Another daemon claiming or committing this order holds its row: leave the order to it.
    if (db.exec("SELECT 1 FROM orders WHERE id = $1 FOR NO KEY UPDATE SKIP LOCKED",
                PgParams().add(job.order_id))
            .empty()) {
      continue;
    }
    auto marked = db.exec(mark_running_sql(), PgParams()
                                                  .add(job.id)
                                                  .add(now)
                                                  .add(times.due)
                                                  .add(times.lease_expired_before)
                                                  .add(options().lease_owner)
                                                  .add(lease_ends));
    if (marked.empty()) continue;
    job.state = JobState::running;
    job.attempts = static_cast<int>(marked.int64(0, 0));
    job.claims = static_cast<int>(marked.int64(0, 1));
    job.updated_at = from_ms(now);
    job.waiting_for_provider = false;
    job.lease_owner = options().lease_owner;
    job.lease_expires_at = from_ms(lease_ends);
    orders.push_back(job.order_id);
    claimed.push_back(std::move(job));
  }
  return claimed;
}

}  // namespace ttb::store
