// Lease renewal on SQLite (Store::renew_leases). One daemon owns a SQLite file and no claim
// reads a lease there, but the contract is the same on both stores: the claim time of each job
// still held moves to now.
#include "store/sqlite_store.h"

namespace ttb::store {

Result<int> SqliteStore::renew_leases(const std::vector<JobClaim>& claims) {
  if (claims.empty()) return 0;
  return write<int>([this, claims](SqliteDb& db) -> Result<int> {
    const std::int64_t now = now_ms();
    int renewed = 0;
    for (const JobClaim& claim : claims) {
      auto s = db.prepare(
          "UPDATE jobs SET updated_at = $2 WHERE id = $1 AND state = 'running' AND claims = $3");
      s.bind(1, claim.id).bind(2, now).bind(3, claim.number).run();
      renewed += s.changes();
    }
    return renewed;
  });
}

}  // namespace ttb::store
