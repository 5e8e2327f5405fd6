#pragma once
// The UPDATE statement of each job transition (job_transition.h), shared by the SQLite and the
// PostgreSQL store, which both speak it. Internal to ttb_store.
//
// Parameters: $1 the job id, $2 now (ms), $3 the claim's attempt (JobMove::attempt, the fencing
// token), then the run_at (ms) and the note, in that order, for a transition that takes them,
// numbered on without gaps: PostgreSQL refuses a parameter that a statement does not use.

#include "store/job_transition.h"

namespace ttb::store {

struct TransitionSql {
  const char* sql;
  bool takes_run_at;
  bool takes_note;
};

TransitionSql transition_sql(JobTransition transition);

}  // namespace ttb::store
