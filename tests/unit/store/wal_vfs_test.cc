// The store's SQLite connections write a commit's WAL frames to the file at once
// (store/sqlite_wal_vfs.h): the commit is whole in the file when COMMIT returns, for another
// connection and for a copy of the files taken as a crash would leave them.

#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "store/sqlite_db.h"
#include "store/sqlite_wal_vfs.h"
#include "store_fixture.h"

namespace ttb::store::testing {
namespace {

namespace fs = std::filesystem;

class WalVfsTest : public StoreFixture {
 protected:
  std::string path() const { return (dir_.path() / "wal.db").string(); }

  static std::int64_t count_rows(SqliteDb& db) {
    auto q = db.prepare("SELECT count(*) FROM t");
    EXPECT_TRUE(q.step());
    return q.int64(0);
  }

  // `rows` rows of `bytes` each, in one transaction.
  static void insert(SqliteDb& db, int rows, int bytes) {
    db.exec("BEGIN");
    for (int i = 0; i < rows; ++i) {
      db.prepare("INSERT INTO t (v) VALUES (randomblob($1))").bind(1, bytes).run();
    }
    db.exec("COMMIT");
  }

  // A connection through SQLite's default VFS, as another process would open the file.
  static std::int64_t rows_seen_by_plain_connection(const std::string& file) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT count(*) FROM t", -1, &q, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_step(q), SQLITE_ROW);
    const std::int64_t n = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return n;
  }
};

TEST_F(WalVfsTest, ACommitOfManyPagesIsOneWriteAndOtherConnectionsSeeIt) {
  SqliteDb writer(path(), 1000);
  writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)");
  const auto before = wal_gathering_stats();
  insert(writer, 20, 1000);  // some 6 pages of 4 KiB: 12 frame headers and pages and more
  const auto after = wal_gathering_stats();
  EXPECT_GE(after.gathered - before.gathered, 10u);
  EXPECT_EQ(after.writes - before.writes, 1u);
  EXPECT_EQ(after.late_writes, before.late_writes);
  EXPECT_EQ(rows_seen_by_plain_connection(path()), 20);
  SqliteDb reader(path(), 1000);
  EXPECT_EQ(count_rows(reader), 20);
}

TEST_F(WalVfsTest, ACommitLargerThanOneWriteOrTheGatheringLimitIsWhole) {
  SqliteDb writer(path(), 1000);
  writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)");
  // 6 MiB in one transaction: past the 124 KiB of one write, and past the 4 MiB gathered before
  // the transaction ends (the cache spills too: 2 MiB by default).
  insert(writer, 1500, 4000);
  EXPECT_EQ(rows_seen_by_plain_connection(path()), 1500);
  auto check = writer.prepare("PRAGMA integrity_check");
  ASSERT_TRUE(check.step());
  EXPECT_EQ(check.text(0), "ok");
  EXPECT_EQ(wal_gathering_stats().late_writes, 0u);
}

TEST_F(WalVfsTest, TheFilesAsACrashWouldLeaveThemHoldEveryCommit) {
  SqliteDb writer(path(), 1000);
  writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)");
  insert(writer, 50, 1000);
  insert(writer, 1, 10);
  // The database and its WAL copied while the writer is still open, without the shared-memory
  // index: opening the copy recovers from the WAL's frames alone.
  const std::string copy = (dir_.path() / "copy.db").string();
  fs::copy_file(path(), copy);
  fs::copy_file(path() + "-wal", copy + "-wal");
  EXPECT_EQ(rows_seen_by_plain_connection(copy), 51);
}

}  // namespace
}  // namespace ttb::store::testing
