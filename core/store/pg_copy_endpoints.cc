// PostgreSQL's ends of a store copy: a source read through a cursor in one REPEATABLE READ
// transaction (a snapshot, even while daemons still write), a target filled in one transaction
// with multi-row INSERTs, its id sequences moved past the copied ids before COMMIT.

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "store/copy_endpoints.h"
#include "store/pg_connection.h"

namespace ttb::store {
namespace {

// The tables and columns of the connection's current schema (the first of its search_path), so
// a database shared with other schemas is read only where the store lives.
std::vector<std::string> table_names(PgConnection& db) {
  auto rows = db.exec(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
      "AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations' ORDER BY table_name");
  std::vector<std::string> names;
  names.reserve(static_cast<std::size_t>(rows.rows()));
  for (int r = 0; r < rows.rows(); ++r) names.push_back(rows.text(r, 0));
  return names;
}

std::vector<std::string> column_names(PgConnection& db, const std::string& table) {
  auto rows = db.exec(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
      "AND table_name = $1 ORDER BY ordinal_position",
      PgParams().add(table));
  std::vector<std::string> names;
  names.reserve(static_cast<std::size_t>(rows.rows()));
  for (int r = 0; r < rows.rows(); ++r) names.push_back(rows.text(r, 0));
  return names;
}

class PgSource final : public CopySource {
 public:
  explicit PgSource(const std::string& url) : db_(url) {
    db_.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }

  int schema_version() override {
    auto exists = db_.exec(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() "
        "AND table_name = 'schema_migrations'");
    if (exists.empty()) return 0;
    auto version = db_.exec("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    return static_cast<int>(version.int64(0, 0));
  }
  std::vector<std::string> tables() override { return table_names(db_); }
  std::vector<std::string> columns(const std::string& table) override {
    return column_names(db_, table);
  }
  std::int64_t count(const std::string& table) override {
    std::string sql = "SELECT COUNT(*) FROM ";
    sql += quoted_identifier(table);
    return db_.exec(sql).int64(0, 0);
  }
  void read(const std::string& table, const std::vector<std::string>& columns,
            const std::string& order_by, std::size_t batch,
            const std::function<void(const std::vector<CopyRow>&)>& on_rows) override {
    std::string declare = "DECLARE ttb_copy NO SCROLL CURSOR FOR SELECT ";
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i > 0) declare += ", ";
      declare += quoted_identifier(columns[i]);
    }
    declare += " FROM ";
    declare += quoted_identifier(table);
    declare += " ORDER BY ";
    declare += order_by;
    db_.exec(declare);
    std::string fetch = "FETCH FORWARD ";
    fetch += std::to_string(batch);
    fetch += " FROM ttb_copy";
    for (;;) {
      PgResult result = db_.exec(fetch);
      if (result.empty()) break;
      std::vector<CopyRow> rows;
      rows.reserve(static_cast<std::size_t>(result.rows()));
      for (int r = 0; r < result.rows(); ++r) {
        CopyRow row;
        row.reserve(columns.size());
        for (int c = 0; c < static_cast<int>(columns.size()); ++c) {
          if (result.is_null(r, c)) {
            row.emplace_back(std::nullopt);
          } else {
            row.emplace_back(result.text(r, c));
          }
        }
        rows.push_back(std::move(row));
      }
      on_rows(rows);
    }
    db_.exec("CLOSE ttb_copy");
  }

 private:
  PgConnection db_;
};

class PgTarget final : public CopyTarget {
 public:
  explicit PgTarget(const std::string& url) : db_(url) {}

  std::vector<std::string> tables() override { return table_names(db_); }
  std::vector<std::string> columns(const std::string& table) override {
    return column_names(db_, table);
  }
  bool has_rows(const std::string& table) override {
    std::string sql = "SELECT EXISTS (SELECT 1 FROM ";
    sql += quoted_identifier(table);
    sql += ')';
    return db_.exec(sql).text(0, 0) == "t";
  }
  void begin() override { db_.exec("BEGIN"); }
  void insert(const std::string& table, const std::vector<std::string>& columns,
              const std::vector<CopyRow>& rows) override {
    PgParams params;
    for (const CopyRow& row : rows) {
      for (const auto& value : row) params.add(value);
    }
    db_.exec(insert_statement(table, columns, rows.size()), params);
  }
  // jobs.id and timeline.id come from BIGSERIAL sequences, which copied ids do not advance: the
  // next job would otherwise collide with a copied one.
  void finish_table(const std::string& table) override {
    const auto cols = columns(table);
    if (std::find(cols.begin(), cols.end(), "id") == cols.end()) return;
    auto sequence = db_.exec("SELECT pg_get_serial_sequence($1, 'id')",
                             PgParams().add(quoted_identifier(table)));
    if (sequence.empty() || sequence.is_null(0, 0)) return;
    std::string sql = "SELECT setval($1, COALESCE((SELECT MAX(id) FROM ";
    sql += quoted_identifier(table);
    sql += "), 0) + 1, false)";
    db_.exec(sql, PgParams().add(sequence.text(0, 0)));
  }
  void commit() override { db_.exec("COMMIT"); }

 private:
  PgConnection db_;
};

}  // namespace

std::unique_ptr<CopySource> open_pg_source(const std::string& url) {
  return std::make_unique<PgSource>(url);
}

std::unique_ptr<CopyTarget> open_pg_target(const std::string& url) {
  return std::make_unique<PgTarget>(url);
}

}  // namespace ttb::store
