// Lease renewal on PostgreSQL (Store::renew_leases): the daemon running a job moves its claim
// time and its lease's end forward, so that no other daemon takes the job for a dead daemon's
// (pg_claim.cc). And the check, at start, that this daemon's clock agrees with the database's.
#include "store/pg_store.h"

#include <cstdlib>
#include <string>

#include "ops/log.h"
#include "store/sqlite_store.h"  // to_ms

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

std::int64_t PgStore::check_clock(PgConnection& db, const StoreOptions& options) {
  // Within this: NTP keeps clocks far closer; a round trip on a busy network stays under it.
  constexpr std::int64_t kTolerableMs = 2000;
  const std::int64_t before = to_ms(options.clock());
  const PgResult q =
      db.exec("SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint", PgParams());
  const std::int64_t after = to_ms(options.clock());
  const std::int64_t database = q.int64(0, 0);
  const std::int64_t skew = before + (after - before) / 2 - database;
  if (std::abs(skew) > kTolerableMs) {
    const std::int64_t lease =
        std::chrono::duration_cast<std::chrono::milliseconds>(options.job_lease).count();
    ops::log_warn(
        "store_clock_skew",
        {{"skew_ms", static_cast<long long>(skew)},
         {"lease_ms", static_cast<long long>(lease)},
         {"detail", std::string("this daemon's clock is ") + std::to_string(std::abs(skew)) +
                        " ms " + (skew > 0 ? "ahead of" : "behind") +
                        " the database's. Every daemon times its job leases by its own clock: "
                        "keep the clocks of the daemons in sync (NTP). A daemon behind the others "
                        "by more than two thirds of jobs.lease_s has its running jobs taken "
                        "over by the others, which run them a second time."}});
  }
  return skew;
}

std::int64_t PgStore::lease_end_ms(std::int64_t now_ms) const {
  return now_ms + std::chrono::duration_cast<std::chrono::milliseconds>(options_.job_lease).count();
}

}  // namespace ttb::store
