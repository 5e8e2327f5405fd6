#pragma once
// The ways a job leaves `running` (claim_due_jobs is the only way in), each with the state it
// leaves the row in. One table, in job_transition.cc, read by every store implementation, so
// that what a transition does is never guessed from its SQL. Every move tells the jobs listener
// what of the job's order it left waiting in the queue (the job itself, when queued again), as
// Store::set_jobs_listener says.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/records.h"
#include "store/result.h"

namespace ttb::store {

enum class JobTransition {
  finish,             // running -> done
  retry,              // running -> queued at run_at; the attempt counts; note = last error
  defer,              // running -> queued at run_at; the attempt is given back; note = why
  wait_for_provider,  // as defer, and marked waiting for its provider (JobRecord::
                      // waiting_for_provider) until claimed: wake_jobs_waiting_for_provider
                      // (a provider not configured, or held by a breaker)
  kill,               // running or queued -> dead (a dead letter); note = last error
};

// One transition of one job: what transition_job is asked to do.
//
// Fencing: a move applies only while the job is running under the claim that asks for it, i.e.
// with claims equal to `claim` (JobClaim::number). A move whose claim was overtaken (another claim
// raised claims since) is refused as Error::Code::fenced and changes nothing. Only a kill with
// claim 0 (no claim: an operator, a test) takes a job that is queued instead.
struct JobMove {
  std::int64_t job_id = 0;
  JobTransition transition = JobTransition::finish;
  TimePoint run_at{};  // retry, defer, wait_for_provider: when the job is due again
  std::string note;    // retry, kill: the error; defer, wait_for_provider: why (last_error)
  int claim = 0;       // the fencing token: JobClaim::number
};

// The state the transition leaves the job in.
JobState state_after(JobTransition transition);
const char* to_string(JobTransition transition);

// Why `move` changed nothing, given the job's row as it is now (`state`, `claims`): fenced when
// the move's claim was overtaken (its token no longer matches), else conflict (the job is in a
// state the move does not leave).
Error refusal(const JobMove& move, std::string_view state, int claims);
// What refuses a commit's finish of `claim` (ChangeSet::finish_job) given the job's row as it is
// now, as refusal() does for JobTransition::finish; nullopt when the claim still holds the job.
std::optional<Error> finish_refusal(const JobClaim& claim, std::string_view state, int claims);

}  // namespace ttb::store
