#pragma once
// The durable job runner: worker threads claim due jobs from the store and run them through
// JobSteps. Workers wake as soon as a job is enqueued (the store's jobs listener), otherwise
// when the next job falls due or after `idle_wait`. Nothing lives only in memory: a job is a
// row, so a stop or a crash leaves every unfinished job for the next start.
//
// Two budgets: `workers` run vendor work (invite, poll, cancel, action) under the per-tenant and
// per-provider limits; `teamtailor_workers` run only Teamtailor writes (push), outside those
// limits, so a tenant's backlog of slow invitations never holds back the cards of the orders
// already invited. Within each, the claim takes the job due first (oldest first).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "jobs/job_limits.h"
#include "jobs/job_steps.h"

namespace ttb::jobs {

struct RunnerOptions {
  int workers = 2;  // vendor work; with teamtailor_workers 0, every kind of job
  // Threads that run only Teamtailor writes; their number bounds the writes in flight to
  // Teamtailor. 0: pushes share `workers` and their limits (one budget for everything).
  int teamtailor_workers = 0;
  StepOptions steps;
  // Extra admission check: claim skips the jobs it refuses.
  store::ClaimAdmit admit;
  // Per-tenant/per-provider concurrency and rate limits; null: none. Shared so the app can
  // read it for metrics.
  std::shared_ptr<JobLimits> limits;
  std::chrono::milliseconds idle_wait{1000};  // real time; bounds how stale a sleep can get
  // A claim the store could not write (the worker then waits idle_wait before the next one).
  // Called on the worker thread; the app logs it.
  std::function<void(const store::Error&)> on_claim_error;
};

class JobRunner {
 public:
  JobRunner(store::Store& store, orders::OrderService& orders, ProviderDirectory& providers,
            ResultPublisher& publisher, RunnerOptions options);
  ~JobRunner();  // stop() without a deadline
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  // Starts the workers and subscribes to the store's jobs listener.
  void start();
  // Stops claiming, then waits for in-flight jobs until `deadline`. True when all finished;
  // false when some were still running (they finish in the background and are recorded; a
  // process that exits now leaves them `running`, and the next open requeues them).
  bool stop(std::chrono::steady_clock::time_point deadline);
  // Wakes idle workers (a job was enqueued elsewhere, or a test moved its clock).
  void notify();

  // Claims and runs due jobs on the calling thread until none is due (at most `max_jobs`).
  // For tests with a fake clock and for one-shot CLI runs; returns how many ran.
  int run_due(int max_jobs = 1 << 30);

  int in_flight() const { return in_flight_.load(); }
  int sleeping_workers() const { return sleeping_.load(); }  // waiting for work right now
  // True from the moment stop() begins: no job is claimed after that.
  bool stopping() const {
    std::lock_guard lock(mutex_);
    return stopping_;
  }

 private:
  // A claimed job, and whether it holds a JobLimits slot (Teamtailor writes on their own
  // workers take none).
  struct Claimed {
    store::JobRecord job;
    bool holds_slot = false;
  };
  // The JobLimits slot a claim's admit took for the job it is about to claim (shared with the
  // admit callback, which the request carries into the store). A claim riding on a job's
  // completion runs after that job is done in the same transaction: its first admit gives the
  // ending job's slot back (`ending`), so that the next job of the same tenant can have it.
  struct Admission {
    std::optional<JobLimits::Slot> taken;
    std::optional<JobLimits::Slot> ending;
    bool ending_released = false;
  };
  // A claim of one job being made: its request, counted in flight until settled.
  struct Ticket {
    store::ClaimRequest request;
    std::shared_ptr<Admission> admission;
  };
  void worker_loop(store::ClaimRequest::Kinds kinds);
  // nullopt when stopping. `ending`: the claim rides on that job's completion (ChangeSet::
  // then_claim), so its admit refuses every job once stop() began, and the job's slot is free to
  // the claim.
  std::optional<Ticket> prepare_claim(store::ClaimRequest::Kinds kinds, const Claimed* ending);
  // What the ticket's claim took (`jobs`; null when it did not run or failed): the job, or
  // nullopt after giving back its slot and its in-flight count.
  std::optional<Claimed> settle(Ticket& ticket, std::vector<store::JobRecord>* jobs);
  std::optional<Claimed> claim_one(store::ClaimRequest::Kinds kinds);
  // Runs a claimed job and gives back its in-flight count and its limit slot. With `ride`, a
  // claim of that kind rides on the job's completing commit: the job it claimed, if any.
  std::optional<Claimed> run_claimed(const Claimed& claimed,
                                     std::optional<store::ClaimRequest::Kinds> ride);

  store::Store& store_;
  RunnerOptions options_;
  JobSteps steps_;

  mutable std::mutex mutex_;
  std::condition_variable wake_cv_;
  std::condition_variable idle_cv_;
  // Counts wake-ups: a sleeping worker waits until it changes, so a notify reaches every
  // worker (of either budget) that looked for work before it, not just the first to wake.
  std::uint64_t wakes_ = 0;
  // Atomic as well: a riding claim's admit reads it on the store's thread (prepare_claim).
  std::atomic<bool> stopping_{false};
  bool started_ = false;
  std::atomic<int> in_flight_{0};
  std::atomic<int> sleeping_{0};
  std::vector<std::thread> workers_;
};

}  // namespace ttb::jobs
