#pragma once
// The UPDATE statement of each job transition (job_transition.h), shared by the SQLite and the
// PostgreSQL store, which both speak it. Internal to ttb_store.
//
// Parameters: $1 the job id, $2 now (ms), $3 the claim's attempt (JobMove::attempt, the fencing
// token), then the run_at (ms) and the note, in that order, for a transition that takes them,
// numbered on without gaps: PostgreSQL refuses a parameter that a statement does not use.

#include <string>

#include "store/job_transition.h"

namespace ttb::store {

struct TransitionSql {
  const char* sql;
  bool takes_run_at;
  bool takes_note;
};

TransitionSql transition_sql(JobTransition transition);

// Four columns for a query on one job's row (`job`: the name or alias of its table) with now (ms)
// as $2: of the jobs of that job's order that wait in the queue, how many pushes and how many
// vendor jobs are due now, and the earliest run_at of the pushes and of the vendor jobs due later
// (NULL when none). A job waits while another of its order runs, so once this one leaves running
// they may be claimed: the commit that moves it tells the jobs listener (jobs_due.h). The
// jobs_by_order index answers all four. `order_key` is the column jobs_by_order starts with:
// order_seq on SQLite (migration 15), order_id on PostgreSQL.
std::string queued_of_order_columns(const std::string& job, const std::string& order_key);

}  // namespace ttb::store
