#pragma once
// The numbered schema migrations, applied in order at open and recorded in schema_migrations.
// SQL is kept portable (TEXT/BIGINT/INTEGER, $N parameters); the one dialect difference, the
// auto-numbered job id, is spelled per backend.

#include <string>
#include <vector>

namespace ttb::store {

struct Migration {
  int version;
  std::string name;
  std::string sql;  // may hold several statements
  // Rebuilds a table that others reference, the way SQLite documents for a change ALTER TABLE
  // cannot make: foreign keys are not enforced while it runs and are checked before it commits.
  bool rebuilds_tables = false;
};

enum class Dialect { sqlite, postgresql };

const std::vector<Migration>& migrations(Dialect dialect);

// SQLite: sets the order_seq of `table`'s rows (jobs, timeline or webhook_events) that have none
// from their order's seq (migration 15). The migration runs it, and so does a copy into SQLite,
// whose rows arrive without it.
std::string sqlite_fill_order_seq(const std::string& table);

}  // namespace ttb::store
