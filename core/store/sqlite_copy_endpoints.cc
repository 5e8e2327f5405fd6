// SQLite's ends of a store copy: a source read in one read transaction (WAL gives it a snapshot
// while the file may still be written), a target filled through SqliteDb in one transaction.

#include <sqlite3.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "store/copy_endpoints.h"
#include "store/migrations.h"
#include "store/sqlite_db.h"

namespace ttb::store {
namespace {

std::vector<std::string> table_names(SqliteDb& db) {
  std::vector<std::string> names;
  auto q = db.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
      "AND name <> 'schema_migrations' ORDER BY name");
  while (q.step()) names.push_back(q.text(0));
  return names;
}

// The keys SQLite alone keeps (migration 15): an order's seq, its rowid, and the order_seq of the
// rows that hang off it. A copy leaves them out on both ends, so that a SQLite store and a
// PostgreSQL one have the same columns; a SQLite target derives them (finish_table).
bool sqlite_only(const std::string& table, const std::string& column) {
  if (table == "orders") return column == "seq";
  return column == "order_seq";
}

std::vector<std::string> column_names(SqliteDb& db, const std::string& table) {
  std::vector<std::string> names;
  auto q = db.prepare("SELECT name FROM pragma_table_info($1) ORDER BY cid");
  q.bind(1, table);
  while (q.step()) {
    if (!sqlite_only(table, q.text(0))) names.push_back(q.text(0));
  }
  return names;
}

class SqliteSource final : public CopySource {
 public:
  // Read-write without create: a missing file is an error, and nothing here writes.
  explicit SqliteSource(const std::string& path) {
    sqlite3* raw = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    handle_.reset(raw);
    if (rc != SQLITE_OK) {
      std::string message = "cannot open the SQLite store '";
      message += path;
      message += "': ";
      message += raw ? sqlite3_errmsg(raw) : "out of memory";
      throw SqlError(message, rc);
    }
    sqlite3_busy_timeout(raw, 5000);
    run("BEGIN");  // every read below sees the same snapshot
  }

  int schema_version() override {
    const auto names = all_tables();
    if (std::find(names.begin(), names.end(), "schema_migrations") == names.end()) return 0;
    return static_cast<int>(single_int("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  }
  std::vector<std::string> tables() override {
    std::vector<std::string> names = all_tables();
    std::erase(names, "schema_migrations");
    return names;
  }
  std::vector<std::string> columns(const std::string& table) override {
    std::vector<std::string> names;
    Query q(*this, "SELECT name FROM pragma_table_info(?1) ORDER BY cid");
    q.bind(table);
    while (q.step()) {
      if (!sqlite_only(table, q.text(0))) names.push_back(q.text(0));
    }
    return names;
  }
  std::int64_t count(const std::string& table) override {
    std::string sql = "SELECT COUNT(*) FROM ";
    sql += quoted_identifier(table);
    return single_int(sql);
  }
  void read(const std::string& table, const std::vector<std::string>& columns,
            const std::string& order_by, std::size_t batch,
            const std::function<void(const std::vector<CopyRow>&)>& on_rows) override {
    std::string sql = "SELECT ";
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i > 0) sql += ", ";
      sql += quoted_identifier(columns[i]);
    }
    sql += " FROM ";
    sql += quoted_identifier(table);
    sql += " ORDER BY ";
    sql += order_by;
    Query q(*this, sql);
    std::vector<CopyRow> rows;
    while (q.step()) {
      CopyRow row;
      row.reserve(columns.size());
      for (int c = 0; c < static_cast<int>(columns.size()); ++c) row.push_back(q.optional_text(c));
      rows.push_back(std::move(row));
      if (rows.size() == batch) {
        on_rows(rows);
        rows.clear();
      }
    }
    if (!rows.empty()) on_rows(rows);
  }

 private:
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
  };

  // One statement on the source, finalized when it goes out of scope.
  class Query {
   public:
    Query(SqliteSource& source, const std::string& sql) : db_(source.handle_.get()) {
      if (sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt_, nullptr) !=
          SQLITE_OK) {
        throw SqlError(std::string("SQLite prepare: ") + sqlite3_errmsg(db_),
                       sqlite3_extended_errcode(db_));
      }
    }
    Query(const Query&) = delete;
    Query& operator=(const Query&) = delete;
    ~Query() { sqlite3_finalize(stmt_); }

    void bind(const std::string& text) {  // the statement's one parameter, ?1
      sqlite3_bind_text(stmt_, 1, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    }

    bool step() {
      const int rc = sqlite3_step(stmt_);
      if (rc == SQLITE_ROW) return true;
      if (rc == SQLITE_DONE) return false;
      throw SqlError(std::string("SQLite read: ") + sqlite3_errmsg(db_),
                     sqlite3_extended_errcode(db_));
    }
    std::string text(int column) const { return optional_text(column).value_or(""); }
    std::optional<std::string> optional_text(int column) const {
      if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
      return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
    }
    std::int64_t int64(int column) const { return sqlite3_column_int64(stmt_, column); }

   private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
  };

  std::vector<std::string> all_tables() {
    std::vector<std::string> names;
    Query q(*this,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name");
    while (q.step()) names.push_back(q.text(0));
    return names;
  }
  std::int64_t single_int(const std::string& sql) {
    Query q(*this, sql);
    return q.step() ? q.int64(0) : 0;
  }
  void run(const std::string& sql) {
    Query q(*this, sql);
    q.step();
  }

  std::unique_ptr<sqlite3, Closer> handle_;
};

class SqliteTarget final : public CopyTarget {
 public:
  explicit SqliteTarget(const std::string& path) : db_(path, 5000) {}

  std::vector<std::string> tables() override { return table_names(db_); }
  std::vector<std::string> columns(const std::string& table) override {
    return column_names(db_, table);
  }
  bool has_rows(const std::string& table) override {
    std::string sql = "SELECT EXISTS (SELECT 1 FROM ";
    sql += quoted_identifier(table);
    sql += ')';
    auto q = db_.prepare(sql);
    return q.step() && q.int64(0) != 0;
  }
  void begin() override { db_.exec("BEGIN IMMEDIATE"); }
  void insert(const std::string& table, const std::vector<std::string>& columns,
              const std::vector<CopyRow>& rows) override {
    auto q = db_.prepare(insert_statement(table, columns, rows.size()));
    int n = 1;
    for (const CopyRow& row : rows) {
      for (const auto& value : row) q.bind_optional(n++, value);
    }
    q.run();
  }
  // An INTEGER PRIMARY KEY continues by itself: a copied order's seq is its place in the copy.
  void finish_table(const std::string& table) override {
    const auto& with_seq = sqlite_order_seq_tables();
    if (std::find(with_seq.begin(), with_seq.end(), table) != with_seq.end()) {
      db_.exec(sqlite_fill_order_seq(table));
    }
  }
  void commit() override { db_.exec("COMMIT"); }

 private:
  SqliteDb db_;
};

}  // namespace

std::unique_ptr<CopySource> open_sqlite_source(const std::string& path) {
  return std::make_unique<SqliteSource>(path);
}

std::unique_ptr<CopyTarget> open_sqlite_target(const std::string& path) {
  return std::make_unique<SqliteTarget>(path);
}

}  // namespace ttb::store
