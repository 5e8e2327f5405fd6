// Job deaths on PostgreSQL: how often a job's plugin call died with its process (as
// sqlite_job_deaths.cc).
#include "store/pg_store.h"

namespace ttb::store {

Result<int> PgStore::count_job_deaths(const std::vector<std::int64_t>& job_ids) {
  if (job_ids.empty()) return 0;
  return write<int>([&job_ids](PgConnection& db) -> Result<int> {
    int counted = 0;
    for (const std::int64_t id : job_ids) {
      // updated_at stays: on a running job it is the claim's time, which times its lease, and a
      // late count of an overtaken run would otherwise lengthen the new holder's lease.
      counted += db.exec("UPDATE jobs SET deaths = deaths + 1 WHERE id = $1", PgParams().add(id))
                     .affected();
    }
    return counted;
  });
}

}  // namespace ttb::store
