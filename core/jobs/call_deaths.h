#pragma once
// No poison job: a job whose plugin call was in flight when the plugin's process died counts a
// death (CallStatus::crashed from an isolated plugin; for a plugin inside the daemon, a call the
// InflightJournal saw start and never end). After kCallDeathsToDeadLetter deaths the job is a
// dead letter with that reason and is never run again, so a crashing plugin cannot crash-loop
// the daemon or its own process on the same job.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
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

// Marks one plugin call in flight in the journal for as long as it lives, under `key`; does
// nothing without a journal (the plugin runs in a process of its own, or the caller is a test).
template <class Key, void (InflightJournal::*Started)(Key) const,
          void (InflightJournal::*Ended)(Key) const>
class InflightMark {
 public:
  InflightMark(const InflightJournal* journal, Key key) : journal_(journal), key_(key) {
    if (journal_) (journal_->*Started)(key_);
  }
  ~InflightMark() {
    if (journal_) (journal_->*Ended)(key_);
  }
  InflightMark(const InflightMark&) = delete;
  InflightMark& operator=(const InflightMark&) = delete;

 private:
  const InflightJournal* journal_;
  Key key_;
};

// A job's call, under its id.
using InflightCall = InflightMark<std::int64_t, &InflightJournal::started, &InflightJournal::ended>;

// Vendor callbacks get the same protection, though a callback is a request, not a job with a
// row to count in. A callback handled by a plugin inside the daemon is journaled under a digest
// of what the plugin is given; the callbacks the daemon died in are counted at start and kept in
// the journal across restarts. One that died kCallDeathsToDeadLetter times is refused without a
// call until the operator reloads the daemon, so a vendor that sends it again cannot crash-loop
// the daemon.
class CallbackDeaths {
 public:
  // `deaths`: InflightJournal::unfinished_callbacks() as read at start.
  CallbackDeaths(std::shared_ptr<const InflightJournal> journal,
                 std::map<std::uint64_t, int> deaths);

  // FNV-1a over the fields, each ended by a NUL: stable across builds and runs.
  static std::uint64_t digest_of(std::string_view tenant, std::string_view provider,
                                 std::string_view method, std::string_view path,
                                 std::string_view body);

  int deaths(std::uint64_t digest) const;  // 0 when it never killed the daemon
  bool refused(std::uint64_t digest) const { return is_poison(deaths(digest)); }
  const InflightJournal* journal() const { return journal_.get(); }
  const std::map<std::uint64_t, int>& counted_at_start() const { return at_start_; }

  // The journal was emptied (at start, once the jobs' deaths are counted; at an orderly stop):
  // writes the callbacks' deaths back into it, so the next start still knows them.
  void write_back() const;
  // A reload: every callback is run again (the plugin may be fixed). Returns how many were
  // refused until now.
  std::size_t forgive();

 private:
  std::shared_ptr<const InflightJournal> journal_;
  std::map<std::uint64_t, int> at_start_;
  mutable std::mutex mu_;
  std::map<std::uint64_t, int> deaths_;
};

// A callback's call, under its digest (CallbackDeaths::digest_of).
using InflightCallback = InflightMark<std::uint64_t, &InflightJournal::callback_started,
                                      &InflightJournal::callback_ended>;

struct RecoveredDeaths {
  std::vector<std::int64_t> job_ids;  // one entry per death counted
  std::string error;                  // "" when counted and the journal emptied
};

// At start, before the job runner: counts a death for each call the previous run of the daemon
// died in, then empties the journal. When the store cannot take the count the journal is kept,
// and the next start counts them.
RecoveredDeaths count_calls_died_in(const InflightJournal& journal, store::Store& store);

}  // namespace ttb::jobs
