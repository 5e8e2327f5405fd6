#pragma once
// The durable job runner: worker threads claim due jobs from the store and run them through
// JobSteps. Workers wake as soon as a job is enqueued (the store's jobs listener), otherwise
// when the next job falls due or after `idle_wait`. Nothing lives only in memory: a job is a
// row, so a stop or a crash leaves every unfinished job for the next start.
//
// Each claim is a store write, so a worker woken for nothing is not free: a commit wakes as many
// workers of each budget as it made jobs of that budget's kind claimable (store::JobsDue), and a
// job's end wakes one more only when it frees a full limit. A worker busy with a job claims the
// next as that job completes (ChangeSet::then_claim), so a backlog needs no wake-ups at all.
//
// Two budgets: `workers` run vendor work (invite, poll, cancel, action) under the per-tenant and
// per-provider limits; `teamtailor_workers` run only Teamtailor writes (push), outside those
// limits, so a tenant's backlog of slow invitations never holds back the cards of the orders
// already invited. Within each, the claim takes the job due first (oldest first).
//
// A provider whose vendor stops answering has its vendor work held by an OutageBreaker: each of
// its jobs claimed is put back for later, its attempt kept, until a probe finds the vendor back. A
// Teamtailor connection that stops answering has its pushes held the same way, by a second one.

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
#include "jobs/lease_keeper.h"
#include "jobs/outage_breaker.h"

namespace ttb::jobs {

// The runner's own store writes, besides the jobs' steps: a claim (after a failed one the worker
// waits idle_wait before the next), or making the jobs waiting for their provider due after a
// reload reset a breaker during a hold (after a failed one they stay at their put-back times).
enum class StoreWrite { claim, wake };

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
  // Holds the vendor work of a provider whose vendor stopped answering; null: none. Shared so the
  // app can read it for metrics and reset it on a reload.
  std::shared_ptr<OutageBreaker> breaker;
  // Holds the pushes of a Teamtailor connection that stopped answering; null: none. Its pairs are
  // (teamtailor_of(tenant), "teamtailor"); without teamtailor_of, one pair for every tenant.
  std::shared_ptr<OutageBreaker> teamtailor_breaker;
  std::function<std::string(const std::string& tenant)> teamtailor_of;
  std::chrono::milliseconds idle_wait{1000};  // real time; bounds how stale a sleep can get
  // A write of the runner's own that the store refused, on the worker thread; the app logs it.
  std::function<void(StoreWrite what, const store::Error&)> on_store_error;
  // How often the claims of the jobs running here are renewed (LeaseKeeper): a third of
  // jobs.lease_s on PostgreSQL, where other daemons read them; 0 (SQLite): never.
  std::chrono::milliseconds lease_renewal{0};
  // A renewal the store could not write (on the renewing thread); the app logs it.
  std::function<void(const store::Error&)> on_lease_error;
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
  // Wakes every idle worker (a job was enqueued elsewhere, or a test moved its clock).
  void notify();
  // Wakes as many idle workers of each budget as `due` names jobs of its kind due now, and one
  // for a job due before they would look again (the jobs listener).
  void notify(const store::JobsDue& due);

  // Claims and runs due jobs on the calling thread until none is due (at most `max_jobs`).
  // For tests with a fake clock and for one-shot CLI runs; returns how many ran.
  int run_due(int max_jobs = 1 << 30);

  int in_flight() const { return in_flight_.load(); }
  int sleeping_workers() const { return sleeping_.load(); }  // waiting for work right now
  // Claims of jobs running now, held for renewal (0 without lease_renewal).
  int leases_held() const { return leases_.held(); }
  // True from the moment stop() begins: no job is claimed after that.
  bool stopping() const {
    std::lock_guard lock(mutex_);
    return stopping_;
  }

 private:
  // A claimed job, whether it holds a JobLimits slot (Teamtailor writes on their own workers take
  // none), whether it is its provider's breaker probe, and whether the breaker holds it (it is put
  // back, not run).
  struct Claimed {
    store::JobRecord job;
    bool holds_slot = false;
    std::optional<OutageBreaker::ProbeId> probe;
    bool held = false;
  };
  // The breaker's probe turn an admit took for a job's pair.
  struct ProbeTurn {
    JobLimits::Slot pair;
    OutageBreaker::ProbeId id = 0;
  };
  // The JobLimits slot a claim's admit took for the job it is about to claim (shared with the
  // admit callback, which the request carries into the store). A claim riding on a job's
  // completion runs after that job is done in the same transaction: its first admit gives the
  // ending job's slot back (`ending`), so that the next job of the same tenant can have it.
  struct Admission {
    std::optional<JobLimits::Slot> taken;
    std::optional<ProbeTurn> probe;  // the breaker's probe turn it took for that pair
    bool held = false;               // the breaker holds the job it admitted
    std::optional<JobLimits::Slot> ending;
    bool ending_released = false;
    bool ending_freed_limit = false;  // its release gave room to a full tenant or provider
  };
  // The workers of one budget wait on a condition of their own, so that waking n of them for n
  // new jobs (notify_one) wakes exactly those, never a worker of the other budget.
  struct Budget {
    std::condition_variable cv;
    // Counts wake-ups: a worker sleeps only while it is unchanged since it last looked for work,
    // so a wake-up that comes between its look and its sleep is not lost.
    std::uint64_t wakes = 0;
    int workers = 0;  // its threads, as the options name them
  };
  Budget& budget_of(store::ClaimRequest::Kinds kinds) {
    return kinds == store::ClaimRequest::Kinds::pushes ? push_budget_ : vendor_budget_;
  }
  // Under mutex_: wakes up to `jobs` of the budget's sleeping workers.
  static void wake_locked(Budget& budget, int jobs);
  // How many workers of a budget the jobs a commit made claimable need woken.
  int workers_for(const store::DueJobs& due) const;
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
  // What running a claimed job led to: the job a claim riding on its completion took, or whether
  // that claim ran and found nothing (then the worker has looked for work already).
  struct Next {
    std::optional<Claimed> job;
    bool found_nothing = false;
  };
  // Gives back what an admission took for a job the claim did not take after all.
  void give_back(Admission& admission);
  // The steps' options, with the breakers told of each vendor call (on_call) and each push
  // (on_publish).
  StepOptions steps_with_breakers(StepOptions steps);
  // The Teamtailor breaker's pair of a tenant's pushes: its connection, and "teamtailor".
  std::string teamtailor_of(const std::string& tenant) const;
  static constexpr const char* kTeamtailor = "teamtailor";
  // Runs a claimed job and gives back its in-flight count and its limit slot. With `ride`, a
  // claim of that kind rides on the job's completing commit.
  Next run_claimed(const Claimed& claimed, std::optional<store::ClaimRequest::Kinds> ride);
  // Makes the jobs waiting for their provider due and wakes the workers: a job was held while a
  // reload reset its breaker.
  void wake_held_after_reset();

  store::Store& store_;
  RunnerOptions options_;
  JobSteps steps_;
  LeaseKeeper leases_;

  mutable std::mutex mutex_;
  std::condition_variable idle_cv_;
  Budget vendor_budget_;  // vendor work; with teamtailor_workers 0, every kind of job
  Budget push_budget_;    // Teamtailor writes on workers of their own
  // Atomic as well: a riding claim's admit reads it on the store's thread (prepare_claim).
  std::atomic<bool> stopping_{false};
  bool started_ = false;
  std::atomic<int> in_flight_{0};
  std::atomic<int> sleeping_{0};
  std::vector<std::thread> workers_;
};

}  // namespace ttb::jobs
