#include "store/job_transition_sql.h"

namespace ttb::store {

TransitionSql transition_sql(JobTransition transition) {
  switch (transition) {
    case JobTransition::finish:
      return {"UPDATE jobs SET state = 'done', updated_at = $2 WHERE id = $1 AND state = 'running'",
              false, false};
    case JobTransition::retry:
      return {
          "UPDATE jobs SET state = 'queued', updated_at = $2, run_at = $3, last_error = $4 "
          "WHERE id = $1 AND state = 'running'",
          true, true};
    case JobTransition::defer:
      return {
          "UPDATE jobs SET state = 'queued', updated_at = $2, run_at = $3, last_error = $4, "
          "attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END "
          "WHERE id = $1 AND state = 'running'",
          true, true};
    case JobTransition::wait_for_provider:
      return {
          "UPDATE jobs SET state = 'queued', updated_at = $2, run_at = $3, last_error = $4, "
          "attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, "
          "waiting_for_provider = 1 WHERE id = $1 AND state = 'running'",
          true, true};
    case JobTransition::kill:
      return {
          "UPDATE jobs SET state = 'dead', updated_at = $2, last_error = $3 "
          "WHERE id = $1 AND state IN ('running', 'queued')",
          false, true};
  }
  return {"", false, false};
}

}  // namespace ttb::store
