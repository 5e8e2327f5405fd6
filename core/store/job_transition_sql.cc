#include "store/job_transition_sql.h"

namespace ttb::store {

TransitionSql transition_sql(JobTransition transition) {
  // "$3 the claim's number": the fencing token (JobMove::claim); a move applies only while the
  // job is running under that claim. A deferral gives the attempt back; the claim number stays.
  switch (transition) {
    case JobTransition::finish:
      return {
          "UPDATE jobs SET state = 'done', updated_at = $2 "
          "WHERE id = $1 AND state = 'running' AND claims = $3",
          false, false};
    case JobTransition::retry:
      return {
          "UPDATE jobs SET state = 'queued', updated_at = $2, run_at = $4, last_error = $5 "
          "WHERE id = $1 AND state = 'running' AND claims = $3",
          true, true};
    case JobTransition::defer:
      return {
          "UPDATE jobs SET state = 'queued', updated_at = $2, run_at = $4, last_error = $5, "
          "attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END "
          "WHERE id = $1 AND state = 'running' AND claims = $3",
          true, true};
    case JobTransition::wait_for_provider:
      return {
          "UPDATE jobs SET state = 'queued', updated_at = $2, run_at = $4, last_error = $5, "
          "attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, "
          "waiting_for_provider = 1 WHERE id = $1 AND state = 'running' AND claims = $3",
          true, true};
    case JobTransition::kill:
      // Attempt 0 is no claim: an operator's kill, which takes a queued job.
      return {
          "UPDATE jobs SET state = 'dead', updated_at = $2, last_error = $4 "
          "WHERE id = $1 AND ((state = 'running' AND claims = $3) "
          "OR (state = 'queued' AND $3 = 0))",
          false, true};
  }
  return {"", false, false};
}

std::string queued_of_order_columns(const std::string& job, const std::string& order_key) {
  // Only the order and the state in WHERE: a kind or run_at term there would let the planner
  // prefer a partial index of all queued jobs of that kind (migration 9) to jobs_by_order.
  const std::string of_order = " FROM jobs q WHERE q." + order_key + " = " + job + "." + order_key +
                               " AND q.state = 'queued')";
  auto due_now = [&](const char* kind) {
    return std::string("(SELECT COALESCE(SUM(CASE WHEN ") + kind +
           " AND q.run_at <= $2 THEN 1 ELSE 0 END), 0)" + of_order;
  };
  auto next_later = [&](const char* kind) {
    return std::string("(SELECT MIN(CASE WHEN ") + kind + " AND q.run_at > $2 THEN q.run_at END)" +
           of_order;
  };
  return due_now("q.kind = 'push'") + ", " + due_now("q.kind <> 'push'") + ", " +
         next_later("q.kind = 'push'") + ", " + next_later("q.kind <> 'push'");
}

}  // namespace ttb::store
