// Job deaths on SQLite: how often a job's plugin call died with its process (see
// Store::count_job_deaths). Apart from sqlite_store.cc: a write of its own, not on the hot path.
#include "store/sqlite_store.h"

namespace ttb::store {

Result<int> SqliteStore::count_job_deaths(const std::vector<std::int64_t>& job_ids) {
  if (job_ids.empty()) return 0;
  return write<int>([job_ids](SqliteDb& db) -> Result<int> {
    int counted = 0;
    for (const std::int64_t id : job_ids) {
      // updated_at stays, as on PostgreSQL (pg_job_deaths.cc): it times a running job's lease.
      auto s = db.prepare("UPDATE jobs SET deaths = deaths + 1 WHERE id = $1");
      s.bind(1, id).run();
      counted += s.changes();
    }
    return counted;
  });
}

}  // namespace ttb::store
