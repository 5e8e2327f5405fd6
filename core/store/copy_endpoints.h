#pragma once
// The two ends of a store copy (store_copy.cc), one implementation per database: a source read in
// one snapshot, a target written in one transaction. Rows travel as text (NULL as nullopt), the
// form both databases take back into their INTEGER and TEXT columns. Internal to store/; throws
// SqlError or PgError, which copy_store turns into its result.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ttb::store {

using CopyRow = std::vector<std::optional<std::string>>;

class CopySource {
 public:
  virtual ~CopySource() = default;
  // The highest migration applied; 0 when the store has no schema_migrations table.
  virtual int schema_version() = 0;
  virtual std::vector<std::string> tables() = 0;  // but schema_migrations
  virtual std::vector<std::string> columns(const std::string& table) = 0;
  virtual std::int64_t count(const std::string& table) = 0;
  // Calls `on_rows` with batches of at most `batch` rows of `columns`, in `order_by` order.
  virtual void read(const std::string& table, const std::vector<std::string>& columns,
                    const std::string& order_by, std::size_t batch,
                    const std::function<void(const std::vector<CopyRow>&)>& on_rows) = 0;
};

class CopyTarget {
 public:
  virtual ~CopyTarget() = default;
  virtual std::vector<std::string> tables() = 0;  // but schema_migrations
  virtual std::vector<std::string> columns(const std::string& table) = 0;
  virtual bool has_rows(const std::string& table) = 0;
  virtual void begin() = 0;
  virtual void insert(const std::string& table, const std::vector<std::string>& columns,
                      const std::vector<CopyRow>& rows) = 0;
  // After a table's rows: PostgreSQL moves the table's id sequence past the copied ids.
  virtual void finish_table(const std::string& table) = 0;
  virtual void commit() = 0;
};

// `path` must exist: a copy never creates its source.
std::unique_ptr<CopySource> open_sqlite_source(const std::string& path);
std::unique_ptr<CopySource> open_pg_source(const std::string& url);
// The target is opened after migrate_store made it (file mode, schema), so it exists.
std::unique_ptr<CopyTarget> open_sqlite_target(const std::string& path);
std::unique_ptr<CopyTarget> open_pg_target(const std::string& url);

// `name` in double quotes, inner quotes doubled: the SQL identifier both databases read.
std::string quoted_identifier(const std::string& name);

// "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)": `rows` rows of `columns`.
std::string insert_statement(const std::string& table, const std::vector<std::string>& columns,
                             std::size_t rows);

}  // namespace ttb::store
