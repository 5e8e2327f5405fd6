#include "store_snapshot.h"

#include <sqlite3.h>

#include <memory>
#include <thread>

namespace ttb::crash {
namespace {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};

std::string column_text(sqlite3_stmt* s, int i) {
  const unsigned char* text = sqlite3_column_text(s, i);
  return text ? reinterpret_cast<const char*>(text) : "";
}

template <typename Row>
bool each_row(sqlite3* db, const char* sql, std::string& error, Row row) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) {
    error = sqlite3_errmsg(db);
    return false;
  }
  std::unique_ptr<sqlite3_stmt, StmtFinalizer> stmt(raw);
  int rc;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) row(stmt.get());
  if (rc != SQLITE_DONE) {
    error = sqlite3_errmsg(db);
    return false;
  }
  return true;
}

}  // namespace

std::optional<StoreSnapshot> StoreSnapshot::read(const std::filesystem::path& path,
                                                 std::string& error) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, DbCloser> db(raw);
  if (rc != SQLITE_OK) {
    error = raw ? sqlite3_errmsg(raw) : "cannot open " + path.string();
    return std::nullopt;
  }
  sqlite3_busy_timeout(db.get(), 5000);
  // One read transaction, so orders and jobs are seen at the same commit.
  if (sqlite3_exec(db.get(), "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) {
    error = sqlite3_errmsg(db.get());
    return std::nullopt;
  }
  StoreSnapshot snap;
  bool ok =
      each_row(db.get(), "SELECT id, status, result_version, pushed_version FROM orders", error,
               [&](sqlite3_stmt* s) {
                 StoredOrder o{column_text(s, 0), column_text(s, 1), sqlite3_column_int64(s, 2),
                               sqlite3_column_int64(s, 3)};
                 snap.orders.emplace(o.id, o);
               }) &&
      each_row(db.get(), "SELECT id, order_id, kind, state, last_error FROM jobs", error,
               [&](sqlite3_stmt* s) {
                 snap.jobs.push_back({sqlite3_column_int64(s, 0), column_text(s, 1),
                                      column_text(s, 2), column_text(s, 3), column_text(s, 4)});
               });
  sqlite3_exec(db.get(), "COMMIT", nullptr, nullptr, nullptr);
  if (!ok) return std::nullopt;
  return snap;
}

bool StoreSnapshot::drained() const {
  for (const auto& [id, o] : orders) {
    if (o.status == "received" || o.pushed_version < o.result_version) return false;
  }
  for (const auto& j : jobs) {
    if ((j.kind == "invite" || j.kind == "push") && (j.state == "queued" || j.state == "running")) {
      return false;
    }
  }
  return true;
}

bool wait_until_drained(const SnapshotReader& read, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string error;
  while (std::chrono::steady_clock::now() < deadline) {
    auto snap = read(error);
    if (snap && snap->drained()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return false;
}

std::vector<StoredJob> StoreSnapshot::jobs_of(const std::string& order_id) const {
  std::vector<StoredJob> out;
  for (const auto& j : jobs) {
    if (j.order_id == order_id) out.push_back(j);
  }
  return out;
}

}  // namespace ttb::crash
