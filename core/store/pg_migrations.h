#pragma once
// Applies the numbered migrations (migrations.cc, PostgreSQL dialect) to a database, under an
// advisory lock so that daemons starting together apply each one once.

#include <cstdint>
#include <string>

#include "store/pg_connection.h"

namespace ttb::store {

// The oldest PostgreSQL the store runs on, as server_version_num: 12, whose plan_cache_mode a
// claim sets for its own transaction (pg_claim.cc). Everything else needs 9.5.
inline constexpr int kPgMinServerVersion = 120000;

// Why a server of version `version_num` (server_version_num: 150004 is 15.4, 90624 is 9.6.24)
// cannot hold the store, or "" when it can.
std::string pg_server_too_old(int version_num);

// Applies the pending migrations, each in its own transaction, and returns the schema version
// (the highest applied). Throws PgError, also for a server older than kPgMinServerVersion.
int apply_pg_migrations(PgConnection& db, std::int64_t now_ms);

}  // namespace ttb::store
