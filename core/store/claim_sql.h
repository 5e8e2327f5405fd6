#pragma once
// SQL text shared by the SQLite and the PostgreSQL claim (claim_due_jobs). Internal to ttb_store.

#include "store/store.h"

namespace ttb::store {

// Which kinds of job a claim takes (ClaimRequest::kinds), as literal SQL for a query on `jobs j`
// (" AND ..."; empty for all kinds). A bound parameter would hide from the planner that a push
// claim can read the partial index of pushes alone, and a vendor claim that of the rest; the
// conditions are written exactly as those indexes' (migrations 8 and 9).
const char* claim_kind_condition(ClaimRequest::Kinds kinds);

}  // namespace ttb::store
