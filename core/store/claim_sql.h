#pragma once
// The part of claim_due_jobs' query that the SQLite and the PostgreSQL store share: which kinds
// of job a claim takes (ClaimRequest::kinds), as literal SQL. A bound parameter would hide from
// the planner that a push claim can read the partial index of queued pushes alone, and a vendor
// claim that of the rest (migration 8); both are written exactly as those indexes' conditions.
// Internal to ttb_store.

#include "store/store.h"

namespace ttb::store {

// " AND j.kind = 'push'", " AND j.kind <> 'push'" or "" (every kind), for a query on `jobs j`.
const char* claim_kind_condition(ClaimRequest::Kinds kinds);

}  // namespace ttb::store
