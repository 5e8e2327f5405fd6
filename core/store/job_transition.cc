#include "store/job_transition.h"

#include <array>

namespace ttb::store {
namespace {

struct Rule {
  JobTransition transition;
  const char* name;
  JobState after;
};

// A new transition is a new row here and its statement in job_transition_sql.cc.
constexpr std::array<Rule, 5> kRules{{
    {JobTransition::finish, "finish", JobState::done},
    {JobTransition::retry, "retry", JobState::queued},
    {JobTransition::defer, "defer", JobState::queued},
    {JobTransition::wait_for_provider, "wait_for_provider", JobState::queued},
    {JobTransition::kill, "kill", JobState::dead},
}};

const Rule& rule(JobTransition transition) {
  for (const auto& r : kRules) {
    if (r.transition == transition) return r;
  }
  return kRules.front();  // unreachable: every enumerator has a row
}

}  // namespace

JobState state_after(JobTransition transition) {
  return rule(transition).after;
}

const char* to_string(JobTransition transition) {
  return rule(transition).name;
}

Error refusal(const JobMove& move, std::string_view state, int claims) {
  std::string what = "job " + std::to_string(move.job_id);
  if (move.claim > 0 && claims != move.claim) {
    what +=
        " was taken over: its claim number " + std::to_string(move.claim) + " is overtaken (now ";
    what += state;
    // Worded so that no 8-byte piece of a literal the compiler inlines reads as a misspelling
    // (lintian checks the package's binaries for those).
    what += " after " + std::to_string(claims) + " claims), so ";
    what += to_string(move.transition);
    what += " applies no more";
    return Error{Error::Code::fenced, what};
  }
  what += " is ";
  what += state;
  what += ", which ";
  what += to_string(move.transition);
  what += move.claim > 0 ? " does not leave" : " without a claim does not leave";
  return Error{Error::Code::conflict, what};
}

std::optional<Error> finish_refusal(const JobClaim& claim, std::string_view state, int claims) {
  if (state == to_string(JobState::running) && claims == claim.number && claim.number > 0) {
    return std::nullopt;
  }
  return refusal({claim.id, JobTransition::finish, {}, {}, claim.number}, state, claims);
}

}  // namespace ttb::store
