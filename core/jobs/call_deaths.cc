#include "jobs/call_deaths.h"

namespace ttb::jobs {

bool is_poison(int deaths) {
  return deaths >= kCallDeathsToDeadLetter;
}

std::string poison_reason(int deaths) {
  std::string reason = "the plugin's process died ";
  reason += deaths == 2 ? std::string("twice") : std::to_string(deaths) + " times";
  reason += " during this job's call; it is not run again";
  return reason;
}

InflightCall::InflightCall(const InflightJournal* journal, std::int64_t job_id)
    : journal_(journal), job_id_(job_id) {
  if (journal_) journal_->started(job_id_);
}

InflightCall::~InflightCall() {
  if (journal_) journal_->ended(job_id_);
}

RecoveredDeaths count_calls_died_in(const InflightJournal& journal, store::Store& store) {
  RecoveredDeaths recovered;
  recovered.job_ids = journal.unfinished();
  if (!recovered.job_ids.empty()) {
    auto counted = store.count_job_deaths(recovered.job_ids);
    if (!counted) {
      recovered.error =
          "the deaths of plugin calls in flight at the last stop could not be "
          "counted (kept for the next start): " +
          counted.error().message;
      return recovered;
    }
  }
  recovered.error = journal.reset();
  return recovered;
}

}  // namespace ttb::jobs
