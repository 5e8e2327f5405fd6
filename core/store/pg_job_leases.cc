// Lease renewal on PostgreSQL (Store::renew_leases): the daemon running a job moves its claim
// time and its lease's end forward, so that no other daemon takes the job for a dead daemon's
// (pg_claim.cc).
#include "store/pg_store.h"

namespace ttb::store {

Result<int> PgStore::renew_leases(const std::vector<JobClaim>& claims) {
  if (claims.empty()) return 0;
  return write<int>([this, &claims](PgConnection& db) -> Result<int> {
    const std::int64_t now = now_ms();
    const std::int64_t lease_ends = lease_end_ms(now);
    int renewed = 0;
    // The claim number fences the renewal as it fences a transition: a claim another daemon took
    // over renews nothing, so the job's new holder keeps its own lease.
    for (const JobClaim& claim : claims) {
      renewed += db.exec(
                       "UPDATE jobs SET updated_at = $2, lease_expires_at = $4 "
                       "WHERE id = $1 AND state = 'running' AND claims = $3",
                       PgParams().add(claim.id).add(now).add(claim.number).add(lease_ends))
                     .affected();
    }
    return renewed;
  });
}

std::int64_t PgStore::lease_end_ms(std::int64_t now_ms) const {
  return now_ms + std::chrono::duration_cast<std::chrono::milliseconds>(options_.job_lease).count();
}

}  // namespace ttb::store
