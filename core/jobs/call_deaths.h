#pragma once
// No poison job: a job whose plugin call was in flight when the plugin's process died counts a
// death (CallStatus::crashed from an isolated plugin; for a plugin inside the daemon, a call the
// InflightJournal saw start and never end). After kCallDeathsToDeadLetter deaths the job is a
// dead letter with that reason and is never run again, so a crashing plugin cannot crash-loop
// the daemon or its own process on the same job.

#include <cstdint>
#include <string>
#include <vector>

#include "jobs/inflight_journal.h"
#include "store/store.h"

namespace ttb::jobs {

inline constexpr int kCallDeathsToDeadLetter = 2;

// True when the job has used up its deaths: the runner makes it a dead letter without a call.
bool is_poison(int deaths);
// The dead letter's reason, e.g. "the plugin's process died 2 times during this job's call (it
// is not run again)".
std::string poison_reason(int deaths);

// Marks one job's plugin call in flight in the journal for as long as it lives; does nothing
// without a journal (the plugin runs in a process of its own, or the caller is a test).
class InflightCall {
 public:
  InflightCall(const InflightJournal* journal, std::int64_t job_id);
  ~InflightCall();
  InflightCall(const InflightCall&) = delete;
  InflightCall& operator=(const InflightCall&) = delete;

 private:
  const InflightJournal* journal_;
  std::int64_t job_id_;
};

struct RecoveredDeaths {
  std::vector<std::int64_t> job_ids;  // one entry per death counted
  std::string error;                  // "" when counted and the journal emptied
};

// At start, before the job runner: counts a death for each call the previous run of the daemon
// died in, then empties the journal. When the store cannot take the count the journal is kept,
// and the next start counts them.
RecoveredDeaths count_calls_died_in(const InflightJournal& journal, store::Store& store);

}  // namespace ttb::jobs
