#include "store/sqlite_db.h"

#include <mutex>
#include <string>

#include "store/sqlite_wal_vfs.h"

namespace ttb::store {
namespace {

// SQLite counts every allocation it makes under a process-wide mutex, for sqlite3_memory_used()
// and a soft heap limit, neither of which the engine uses; its allocations were 15 % of the
// writer's samples in a profile of ingest (docs/performance.md, "The webhook's JSON, its log line
// and SQLite's bookkeeping"). The count can only be switched off before SQLite initialises, so
// before the first connection of the process opens.
void configure_sqlite_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    // SQLITE_MISUSE if something in the process initialised SQLite first: it then keeps counting,
    // which costs time, not correctness.
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  });
}

}  // namespace

Statement::~Statement() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int Statement::index_of(int n) const {
  // Appended, not `"$" + std::to_string(n)`: GCC 12 flags that form with a false -Wrestrict at
  // -O3 (GCC bug 105329; docs/toolchain-gcc12-o3.md).
  std::string name(1, '$');
  name += std::to_string(n);
  const int index = sqlite3_bind_parameter_index(stmt_, name.c_str());
  if (index == 0) throw SqlError("statement has no parameter " + name, SQLITE_RANGE);
  return index;
}

Statement& Statement::bind(int n, std::string_view text) {
  if (sqlite3_bind_text(stmt_, index_of(n), text.data(), static_cast<int>(text.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK) {
    db_->fail("bind");
  }
  return *this;
}

Statement& Statement::bind(int n, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, index_of(n), value) != SQLITE_OK) db_->fail("bind");
  return *this;
}

Statement& Statement::bind_null(int n) {
  if (sqlite3_bind_null(stmt_, index_of(n)) != SQLITE_OK) db_->fail("bind");
  return *this;
}

Statement& Statement::bind_optional(int n, const std::optional<std::string>& text) {
  return text ? bind(n, std::string_view(*text)) : bind_null(n);
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_->fail("step");
}

void Statement::run() {
  while (step()) {
  }
}

int Statement::changes() const {
  return sqlite3_changes(db_->handle());
}

std::string Statement::text(int column) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (!p) return {};
  return std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::int64_t Statement::int64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

SqliteDb::SqliteDb(const std::string& path, int busy_timeout_ms) {
  configure_sqlite_once();
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  // Every connection of the store opens through the VFS that writes a commit's WAL frames at
  // once (sqlite_wal_vfs.h); only the writer's connection writes any.
  if (sqlite3_open_v2(path.c_str(), &db_, flags, wal_gathering_vfs()) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw SqlError("cannot open SQLite database '" + path + "': " + message +
                       " (check that the directory exists and is writable)",
                   SQLITE_CANTOPEN);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, busy_timeout_ms);
  // WAL: readers do not block the writer. synchronous=FULL: a commit is on disk (WAL fsync'd)
  // before it returns, so whatever we acknowledged survives a crash or power loss.
  exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
}

SqliteDb::~SqliteDb() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

void SqliteDb::exec(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    throw SqlError("SQLite: " + text, sqlite3_extended_errcode(db_));
  }
}

Statement SqliteDb::prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
      fail("prepare");
    }
    it = cache_.emplace(sql, stmt).first;
  }
  return Statement(*this, it->second);
}

std::int64_t SqliteDb::last_insert_id() const {
  return sqlite3_last_insert_rowid(db_);
}

void SqliteDb::fail(const std::string& where) const {
  throw SqlError("SQLite " + where + ": " + sqlite3_errmsg(db_), sqlite3_extended_errcode(db_));
}

}  // namespace ttb::store
