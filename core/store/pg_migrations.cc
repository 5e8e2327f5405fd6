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

// "15.4" for 150004, "9.6.24" for 90624 (the numbering changed with version 10).
std::string version_text(int version_num) {
  const int major = version_num / 10000;
  if (major >= 10) return std::to_string(major) + "." + std::to_string(version_num % 10000);
  return std::to_string(major) + "." + std::to_string(version_num / 100 % 100) + "." +
         std::to_string(version_num % 100);
}

}  // namespace

std::string pg_server_too_old(int version_num) {
  if (version_num >= kPgMinServerVersion) return "";
  return "PostgreSQL " + version_text(version_num) + " is too old for the store: it needs " +
         std::to_string(kPgMinServerVersion / 10000) + " or newer";
}

int apply_pg_migrations(PgConnection& db, std::int64_t now_ms) {
  const std::string too_old =
      pg_server_too_old(static_cast<int>(db.exec("SHOW server_version_num").int64(0, 0)));
  if (!too_old.empty()) throw PgError(too_old, "", false);
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
