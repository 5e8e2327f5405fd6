#pragma once
// Copying a whole store into a new, empty one: how an operator who outgrows SQLite moves to
// PostgreSQL (`ttbridge store copy`, docs/scaling.md). Either direction works, and SQLite to
// SQLite too. The source is read in one snapshot and never written; the target is migrated to
// this build's schema and filled in one transaction, so a copy that fails leaves it empty and
// can simply be run again.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "store/result.h"

namespace ttb::store {

// Where a copy is, reported after every batch of rows and once at the end.
struct CopyProgress {
  std::string table;            // the table being copied
  std::int64_t table_done = 0;  // its rows copied so far
  std::int64_t table_rows = 0;  // its rows in the source
  std::int64_t done = 0;        // every table's rows copied so far
  std::int64_t total = 0;       // every table's rows in the source
};

struct CopiedTable {
  std::string name;
  std::int64_t rows = 0;
};

struct CopyReport {
  int schema_version = 0;
  std::vector<CopiedTable> tables;  // in copy order
  std::int64_t rows = 0;
};

// The tables a copy carries, parents before the rows that refer to them. Every table the
// migrations create (but schema_migrations, which the target's own migration writes) must be
// here: a source with a table not listed is refused rather than copied in part.
const std::vector<std::string>& copied_tables();

// Refuses (Error::Code::invalid) when the source is missing, is not at this build's schema
// version, has a table the copy does not know, or when the target already holds a row; names
// the table and says what to do. `on_progress` may be empty.
Result<CopyReport> copy_store(const std::string& from_url, const std::string& to_url,
                              const std::function<void(const CopyProgress&)>& on_progress);

}  // namespace ttb::store
