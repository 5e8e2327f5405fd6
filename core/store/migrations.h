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
};

enum class Dialect { sqlite, postgresql };

const std::vector<Migration>& migrations(Dialect dialect);

}  // namespace ttb::store
