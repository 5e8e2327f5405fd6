#pragma once
// Applies the numbered migrations (migrations.cc, PostgreSQL dialect) to a database, under an
// advisory lock so that daemons starting together apply each one once.

#include <cstdint>

#include "store/pg_connection.h"

namespace ttb::store {

// Applies the pending migrations, each in its own transaction, and returns the schema version
// (the highest applied). Throws PgError.
int apply_pg_migrations(PgConnection& db, std::int64_t now_ms);

}  // namespace ttb::store
