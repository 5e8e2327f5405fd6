// Job deaths on SQLite: how often a job's plugin call died with its process (see
// Store::count_job_deaths). Apart from sqlite_store.cc: a write of its own, not on the hot path.
#include "store/sqlite_store.h"

namespace ttb::store {

Result<int> SqliteStore::count_job_deaths(const std::vector<std::int64_t>& job_ids) {
  if (job_ids.empty()) return 0;
  return write<int>([this, job_ids](SqliteDb& db) -> Result<int> {
    int counted = 0;
    for (const std::int64_t id : job_ids) {
      auto s = db.prepare("UPDATE jobs SET deaths = deaths + 1, updated_at = $2 WHERE id = $1");
      s.bind(1, id).bind(2, now_ms()).run();
      counted += s.changes();
    }
    return counted;
  });
}

}  // namespace ttb::store
