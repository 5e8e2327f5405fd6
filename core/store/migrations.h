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

// SQLite: the tables whose rows carry their order's seq as order_seq (migration 15): jobs,
// timeline and webhook_events.
const std::vector<std::string>& sqlite_order_seq_tables();

// SQLite: sets the order_seq of `table`'s rows (one of sqlite_order_seq_tables) that have none
// from their order's seq. Migration 15 runs it, each open of the store does (rows an older daemon
// wrote), and so does a copy into SQLite, whose rows arrive without it.
std::string sqlite_fill_order_seq(const std::string& table);

}  // namespace ttb::store
