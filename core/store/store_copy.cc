// copy_store: checks both ends, migrates the target, then copies table by table in batches (see
// store_copy.h for the guarantees).

#include "store/store_copy.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "store/copy_endpoints.h"
#include "store/migrations.h"
#include "store/pg_connection.h"
#include "store/sqlite_db.h"
#include "store/store.h"

namespace ttb::store {
namespace {

struct TableSpec {
  std::string name;
  std::string order_by;  // the primary key: the copy reads in a stable order
};

const std::vector<TableSpec>& table_specs() {
  static const std::vector<TableSpec> specs = {
      {"orders", "id"},
      {"webhook_events", "event_id"},
      {"webhook_sightings", "event_id"},
      {"callback_events", "tenant, provider, event_id"},
      {"jobs", "id"},
      {"timeline", "id"},
  };
  return specs;
}

// Rows per statement: up to 500, and under SQLite's 32,766 parameters per statement.
std::size_t batch_rows(std::size_t columns) {
  return std::max<std::size_t>(
      1, std::min<std::size_t>(500, 30000 / std::max<std::size_t>(1, columns)));
}

enum class Kind { sqlite, postgresql, unknown };

Kind kind_of(const std::string& url) {
  if (url.rfind("sqlite://", 0) == 0) return Kind::sqlite;
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return Kind::postgresql;
  }
  return Kind::unknown;
}

std::string sqlite_path(const std::string& url) {
  return url.substr(std::string_view("sqlite://").size());
}

Error refused(std::string message) {
  return Error{Error::Code::invalid, std::move(message)};
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

// Names in `a` that `b` lacks.
std::vector<std::string> missing_from(const std::vector<std::string>& a,
                                      const std::vector<std::string>& b) {
  const std::set<std::string> in_b(b.begin(), b.end());
  std::vector<std::string> out;
  for (const auto& name : a) {
    if (!in_b.contains(name)) out.push_back(name);
  }
  return out;
}

// The source's version and tables are what this build writes, or the copy is refused.
std::optional<Error> check_source(CopySource& source, Kind kind) {
  const int latest =
      migrations(kind == Kind::sqlite ? Dialect::sqlite : Dialect::postgresql).back().version;
  const int version = source.schema_version();
  if (version == 0) return refused("the source holds no ttbridge store (no schema_migrations)");
  if (version < latest) {
    return refused("the source is at schema version " + std::to_string(version) +
                   " and this ttbridge writes version " + std::to_string(latest) +
                   ": stop its daemon and run `ttbridge store migrate` on it first");
  }
  if (version > latest) {
    return refused("the source is at schema version " + std::to_string(version) +
                   ", newer than this ttbridge knows (" + std::to_string(latest) +
                   "): copy it with the ttbridge that wrote it");
  }
  const auto tables = source.tables();
  const auto unknown = missing_from(tables, copied_tables());
  if (!unknown.empty()) {
    return refused("the source has tables this ttbridge does not copy (" + joined(unknown) +
                   "); nothing was copied");
  }
  const auto absent = missing_from(copied_tables(), tables);
  if (!absent.empty()) {
    return refused("the source lacks the tables " + joined(absent) + " of schema version " +
                   std::to_string(version) + ": it is damaged; nothing was copied");
  }
  return std::nullopt;
}

// Refuses a target holding anything: a row in a store table, or a table that is not the store's
// (another application's data). Checked before the target is migrated, so it is left untouched.
std::optional<Error> check_target_empty(CopyTarget& target) {
  const auto foreign = missing_from(target.tables(), copied_tables());
  if (!foreign.empty()) {
    return refused("the target is not empty: it has the tables " + joined(foreign) +
                   ", which are not ttbridge's; copy into a new, empty database");
  }
  const auto present = target.tables();
  std::vector<std::string> holding;
  for (const auto& table : copied_tables()) {
    if (std::find(present.begin(), present.end(), table) != present.end() &&
        target.has_rows(table)) {
      holding.push_back(table);
    }
  }
  if (!holding.empty()) {
    return refused("the target is not empty: its tables " + joined(holding) +
                   " hold rows; copy only into a new, empty store (nothing was copied)");
  }
  return std::nullopt;
}

std::unique_ptr<CopySource> open_source(const std::string& url, Kind kind) {
  return kind == Kind::sqlite ? open_sqlite_source(sqlite_path(url)) : open_pg_source(url);
}

std::unique_ptr<CopyTarget> open_target(const std::string& url, Kind kind) {
  return kind == Kind::sqlite ? open_sqlite_target(sqlite_path(url)) : open_pg_target(url);
}

Result<CopyReport> copy_checked(const std::string& from_url, Kind from, const std::string& to_url,
                                Kind to,
                                const std::function<void(const CopyProgress&)>& on_progress) {
  auto source = open_source(from_url, from);
  if (auto problem = check_source(*source, from)) return *problem;

  // A SQLite target that does not exist yet is empty; migrate_store creates it (mode 0600).
  if (to == Kind::postgresql || std::filesystem::exists(sqlite_path(to_url))) {
    auto target = open_target(to_url, to);
    if (auto problem = check_target_empty(*target)) return *problem;
  }
  auto migrated = migrate_store(to_url);
  if (!migrated) {
    return Error{migrated.error().code, "cannot prepare the target: " + migrated.error().message};
  }
  auto target = open_target(to_url, to);

  CopyReport report;
  report.schema_version = *migrated;
  CopyProgress progress;
  std::vector<std::int64_t> counts;
  for (const auto& spec : table_specs()) {
    counts.push_back(source->count(spec.name));
    progress.total += counts.back();
  }
  target->begin();
  for (std::size_t t = 0; t < table_specs().size(); ++t) {
    const TableSpec& spec = table_specs()[t];
    const auto columns = source->columns(spec.name);
    const auto target_columns = target->columns(spec.name);
    auto differs = missing_from(columns, target_columns);
    auto extra = missing_from(target_columns, columns);
    differs.insert(differs.end(), extra.begin(), extra.end());
    if (!differs.empty()) {
      return refused("the columns of " + spec.name + " differ between source and target (" +
                     joined(differs) + "); nothing was copied");
    }
    progress.table = spec.name;
    progress.table_rows = counts[t];
    progress.table_done = 0;
    if (on_progress) on_progress(progress);
    source->read(spec.name, columns, spec.order_by, batch_rows(columns.size()),
                 [&](const std::vector<CopyRow>& rows) {
                   target->insert(spec.name, columns, rows);
                   const auto n = static_cast<std::int64_t>(rows.size());
                   progress.table_done += n;
                   progress.done += n;
                   if (on_progress) on_progress(progress);
                 });
    target->finish_table(spec.name);
    report.tables.push_back({spec.name, progress.table_done});
    report.rows += progress.table_done;
  }
  target->commit();
  return report;
}

}  // namespace

const std::vector<std::string>& copied_tables() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& spec : table_specs()) out.push_back(spec.name);
    return out;
  }();
  return names;
}

std::string quoted_identifier(const std::string& name) {
  std::string out(1, '"');
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string insert_statement(const std::string& table, const std::vector<std::string>& columns,
                             std::size_t rows) {
  std::string sql = "INSERT INTO ";
  sql += quoted_identifier(table);
  sql += " (";
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (c > 0) sql += ", ";
    sql += quoted_identifier(columns[c]);
  }
  sql += ") VALUES ";
  std::size_t n = 1;
  for (std::size_t r = 0; r < rows; ++r) {
    sql += r > 0 ? ", (" : "(";
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (c > 0) sql += ", ";
      sql += '$';
      sql += std::to_string(n++);
    }
    sql += ')';
  }
  return sql;
}

Result<CopyReport> copy_store(const std::string& from_url, const std::string& to_url,
                              const std::function<void(const CopyProgress&)>& on_progress) {
  const Kind from = kind_of(from_url);
  const Kind to = kind_of(to_url);
  if (from == Kind::unknown || to == Kind::unknown) {
    return refused("a store url starts with sqlite:// or postgresql://");
  }
  if (from_url == to_url) return refused("the source and the target are the same store");
  if (from == Kind::sqlite && !std::filesystem::exists(sqlite_path(from_url))) {
    return refused("the source store file " + sqlite_path(from_url) + " does not exist");
  }
  try {
    return copy_checked(from_url, from, to_url, to, on_progress);
  } catch (const SqlError& e) {
    return Error{Error::Code::unavailable,
                 std::string("SQLite: ") + e.what() + " (nothing was copied)"};
  } catch (const PgError& e) {
    return Error{Error::Code::unavailable,
                 std::string("PostgreSQL: ") + e.what() + " (nothing was copied)"};
  }
}

}  // namespace ttb::store
