#pragma once
// What a commit made claimable, as the jobs listener hears it (Store::set_jobs_listener), for
// Teamtailor writes (push) and for vendor work (every other kind) apart: how many jobs are due
// now, and when the earliest of those due later is due. The job runner has a budget of workers
// for each (jobs/job_runner.h) and wakes as many of each as there are jobs due now, and one for
// a job due later only when it is due before a sleeping worker would look again: a worker woken
// for nothing still spends a claim, which is a store write.

#include <algorithm>
#include <optional>

#include "store/records.h"

namespace ttb::store {

// The jobs of one kind that a commit made claimable.
struct DueJobs {
  int now = 0;                    // due at the commit
  std::optional<TimePoint> next;  // the earliest run_at of those due later

  void add_later(TimePoint run_at) { next = next ? std::min(*next, run_at) : run_at; }
  void add(TimePoint run_at, TimePoint at) {
    if (run_at <= at) {
      ++now;
    } else {
      add_later(run_at);
    }
  }
  DueJobs& operator+=(const DueJobs& other) {
    now += other.now;
    if (other.next) add_later(*other.next);
    return *this;
  }
  bool any() const { return now > 0 || next.has_value(); }
  bool operator==(const DueJobs&) const = default;
};

struct JobsDue {
  DueJobs pushes;
  DueJobs vendor_work;

  DueJobs& of(JobKind kind) { return kind == JobKind::push ? pushes : vendor_work; }
  // `count` jobs due now of kinds the commit did not read (an operator's requeue): each budget
  // hears all of them.
  static JobsDue unknown(int count) { return JobsDue{{count, {}}, {count, {}}}; }

  bool any() const { return pushes.any() || vendor_work.any(); }
  JobsDue& operator+=(const JobsDue& other) {
    pushes += other.pushes;
    vendor_work += other.vendor_work;
    return *this;
  }
  bool operator==(const JobsDue&) const = default;
};

}  // namespace ttb::store
