// claim_due_jobs on PostgreSQL, where several daemons claim from one table. Candidates are locked
// with FOR UPDATE SKIP LOCKED (two daemons get disjoint sets without waiting on each other); each
// candidate's order row is locked too, SKIP LOCKED, and the job is then marked running by a
// statement that checks again, with a snapshot taken after that lock, that no other job of the
// order runs: so jobs of one order never run at once, even when two daemons claim together.
// A running job whose claim (updated_at) is older than StoreOptions::job_lease is claimable again:
// its daemon is presumed dead.
#include <algorithm>

#include "store/pg_store.h"
#include "store/sqlite_store.h"  // to_ms, from_ms

namespace ttb::store {

Result<std::vector<JobRecord>> PgStore::claim_due_jobs(const ClaimRequest& request) {
  if (request.limit <= 0) return std::vector<JobRecord>{};
  return write<std::vector<JobRecord>>([this, &request](
                                           PgConnection& db) -> Result<std::vector<JobRecord>> {
    const std::int64_t now = now_ms();
    const std::int64_t due = to_ms(request.now);
    const std::int64_t lease_expired_before =
        due - std::chrono::duration_cast<std::chrono::milliseconds>(options().job_lease).count();
    // As SqliteStore's query, plus running jobs whose lease expired; a running job holds its
    // order only while its lease lasts.
    auto candidates =
        db.exec(std::string("SELECT ") + kPgJobColumns +
                    " FROM jobs j WHERE ((j.state = 'queued' AND j.run_at <= $1)"
                    "   OR (j.state = 'running' AND j.updated_at < $5))"
                    " AND ($6::int = 0 OR ($6::int = 1) = (j.kind = 'push'))"
                    " AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.order_id = j.order_id"
                    "   AND r.state = 'running' AND r.updated_at >= $5 AND r.id <> j.id)"
                    " AND (j.kind <> 'push' OR NOT EXISTS (SELECT 1 FROM jobs p"
                    "   WHERE p.order_id = j.order_id AND p.kind = 'push'"
                    "   AND p.state IN ('queued', 'running') AND p.id < j.id))"
                    " AND j.tenant <> ALL ($3::text[])"
                    " AND (j.tenant || '/' || j.provider) <> ALL ($4::text[])"
                    " ORDER BY j.run_at, j.id LIMIT $2 FOR UPDATE OF j SKIP LOCKED",
                PgParams()
                    .add(due)
                    .add(std::int64_t{request.limit} * 4 + 16)
                    .add_array(request.skip_tenants)
                    .add_array(request.skip_providers)
                    .add(lease_expired_before)
                    .add(static_cast<int>(request.kinds)));  // 0 all, 1 pushes, 2 vendor work
    std::vector<JobRecord> claimed;
    std::vector<std::string> orders;
    for (int i = 0; i < candidates.rows(); ++i) {
      if (static_cast<int>(claimed.size()) >= request.limit) break;
      JobRecord job = read_pg_job(candidates, i);
      if (std::find(orders.begin(), orders.end(), job.order_id) != orders.end()) continue;
      if (request.admit && !request.admit(job.tenant, job.provider)) continue;
      // Another daemon claiming or committing this order holds its row: leave the order to it.
      if (db.exec("SELECT 1 FROM orders WHERE id = $1 FOR NO KEY UPDATE SKIP LOCKED",
                  PgParams().add(job.order_id))
              .empty()) {
        continue;
      }
      auto marked = db.exec(
          "UPDATE jobs j SET state = 'running', attempts = attempts + 1, "
          "waiting_for_provider = 0, updated_at = $2 WHERE j.id = $1"
          " AND ((j.state = 'queued' AND j.run_at <= $3) OR (j.state = 'running'"
          "   AND j.updated_at < $4))"
          " AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.order_id = j.order_id"
          "   AND r.state = 'running' AND r.updated_at >= $4 AND r.id <> j.id)"
          " RETURNING attempts",
          PgParams().add(job.id).add(now).add(due).add(lease_expired_before));
      if (marked.empty()) continue;
      job.state = JobState::running;
      job.attempts = static_cast<int>(marked.int64(0, 0));
      job.updated_at = from_ms(now);
      job.waiting_for_provider = false;
      orders.push_back(job.order_id);
      claimed.push_back(std::move(job));
    }
    return claimed;
  });
}

}  // namespace ttb::store
