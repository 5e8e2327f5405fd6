#include "store/job_transition.h"

#include <array>

namespace ttb::store {
namespace {

struct Rule {
  JobTransition transition;
  const char* name;
  JobState after;
  bool wakes_runner;
};

// A new transition is a new row here and its statement in job_transition_sql.cc.
constexpr std::array<Rule, 5> kRules{{
    {JobTransition::finish, "finish", JobState::done, false},
    {JobTransition::retry, "retry", JobState::queued, true},
    {JobTransition::defer, "defer", JobState::queued, true},
    {JobTransition::wait_for_provider, "wait_for_provider", JobState::queued, true},
    {JobTransition::kill, "kill", JobState::dead, false},
}};

const Rule& rule(JobTransition transition) {
  for (const auto& r : kRules) {
    if (r.transition == transition) return r;
  }
  return kRules.front();  // unreachable: every enumerator has a row
}

}  // namespace

bool wakes_runner(JobTransition transition) {
  return rule(transition).wakes_runner;
}

JobState state_after(JobTransition transition) {
  return rule(transition).after;
}

const char* to_string(JobTransition transition) {
  return rule(transition).name;
}

}  // namespace ttb::store
