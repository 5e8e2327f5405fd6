#include "store/pg_migrations.h"

#include "store/migrations.h"

namespace ttb::store {
namespace {

// The advisory lock every ttbridge process takes while it migrates: any number fixed once,
// distinct from other applications' locks on the same database ("ttbr" in ASCII).
constexpr const char* kMigrationLock = "1953784434";

// Releases the session's advisory lock however the migrations end.
class MigrationLock {
 public:
  explicit MigrationLock(PgConnection& db) : db_(db) {
    db_.exec(std::string("SELECT pg_advisory_lock(") + kMigrationLock + ")");
  }
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;
  ~MigrationLock() {
    try {
      if (db_.in_transaction()) db_.exec("ROLLBACK");
      db_.exec(std::string("SELECT pg_advisory_unlock(") + kMigrationLock + ")");
    } catch (const PgError&) {
      // The connection is gone, and with it the lock.
    }
  }

 private:
  PgConnection& db_;
};

}  // namespace

int apply_pg_migrations(PgConnection& db, std::int64_t now_ms) {
  MigrationLock lock(db);
  db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
      "name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
  int version = 0;
  for (const auto& m : migrations(Dialect::postgresql)) {
    auto applied =
        db.exec("SELECT 1 FROM schema_migrations WHERE version = $1", PgParams().add(m.version));
    if (applied.empty()) {
      // DDL is transactional in PostgreSQL: a migration applies whole or not at all.
      db.exec("BEGIN");
      db.exec(m.sql);
      db.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
              PgParams().add(m.version).add(m.name).add(now_ms));
      db.exec("COMMIT");
    }
    version = m.version;
  }
  return version;
}

}  // namespace ttb::store
