#include "jobs/job_runner.h"

#include "ops/thread_name.h"

namespace ttb::jobs {

JobRunner::JobRunner(store::Store& store, orders::OrderService& orders,
                     ProviderDirectory& providers, ResultPublisher& publisher,
                     RunnerOptions options)
    : store_(store),
      options_(std::move(options)),
      steps_(store, orders, providers, publisher, steps_with_breakers(options_.steps)),
      leases_(store, options_.lease_renewal, options_.on_lease_error) {
  if (!options_.steps.clock) options_.steps.clock = [] { return std::chrono::system_clock::now(); };
  if (options_.workers < 1) options_.workers = 1;
  if (options_.teamtailor_workers < 0) options_.teamtailor_workers = 0;
  vendor_budget_.workers = options_.workers;
  push_budget_.workers = options_.teamtailor_workers;
}

JobRunner::~JobRunner() {
  stop(std::chrono::steady_clock::time_point::max());
  // Workers past the deadline still use this object: wait for them before it goes away.
  for (auto& t : workers_) {
    if (t.joinable()) t.join();
  }
  leases_.stop();
  store_.set_jobs_listener(nullptr);
}

StepOptions JobRunner::steps_with_breakers(StepOptions steps) {
  if (options_.breaker) {
    steps.on_call = [breaker = options_.breaker, also = std::move(steps.on_call)](
                        const store::JobRecord& job, plugins::CallStatus status) {
      if (also) also(job, status);
      breaker->record(job.tenant, job.provider, status);
    };
  }
  if (options_.teamtailor_breaker) {
    steps.on_publish = [this, also = std::move(steps.on_publish)](const store::JobRecord& job,
                                                                  const PublishOutcome& outcome) {
      if (also) also(job, outcome);
      options_.teamtailor_breaker->record_answer(teamtailor_of(job.tenant), kTeamtailor,
                                                 outcome.answered);
    };
  }
  return steps;
}

std::string JobRunner::teamtailor_of(const std::string& tenant) const {
  return options_.teamtailor_of ? options_.teamtailor_of(tenant) : std::string();
}

void JobRunner::start() {
  {
    std::lock_guard lock(mutex_);
    if (started_) return;
    started_ = true;
    stopping_ = false;
  }
  store_.set_jobs_listener([this](const store::JobsDue& due) { notify(due); });
  leases_.start();
  using Kinds = store::ClaimRequest::Kinds;
  const bool own_budget = options_.teamtailor_workers > 0;
  for (int i = 0; i < options_.workers; ++i) {
    workers_.emplace_back([this, own_budget] {
      ops::name_this_thread("ttb-job");
      worker_loop(own_budget ? Kinds::vendor_work : Kinds::all);
    });
  }
  for (int i = 0; i < options_.teamtailor_workers; ++i) {
    workers_.emplace_back([this] {
      ops::name_this_thread("ttb-push");
      worker_loop(Kinds::pushes);
    });
  }
}

void JobRunner::notify() {
  std::lock_guard lock(mutex_);
  for (Budget* budget : {&vendor_budget_, &push_budget_}) {
    ++budget->wakes;
    budget->cv.notify_all();
  }
}

void JobRunner::notify(const store::JobsDue& due) {
  std::lock_guard lock(mutex_);
  if (options_.teamtailor_workers > 0) {
    wake_locked(vendor_budget_, workers_for(due.vendor_work));
    wake_locked(push_budget_, workers_for(due.pushes));
  } else {
    store::DueJobs all = due.vendor_work;
    all += due.pushes;
    wake_locked(vendor_budget_, workers_for(all));
  }
}

int JobRunner::workers_for(const store::DueJobs& due) const {
  if (due.now > 0) return due.now;  // they look at the queue again, and sleep until its next
  // A job due later needs a worker only when it is due before every sleeping worker looks
  // again on its own, which each does within idle_wait.
  if (due.next && *due.next < options_.steps.clock() + options_.idle_wait) return 1;
  return 0;
}

void JobRunner::wake_locked(Budget& budget, int jobs) {
  if (jobs <= 0) return;
  ++budget.wakes;
  if (jobs >= budget.workers) {
    budget.cv.notify_all();
    return;
  }
  for (int i = 0; i < jobs; ++i) budget.cv.notify_one();
}

bool JobRunner::stop(std::chrono::steady_clock::time_point deadline) {
  {
    std::unique_lock lock(mutex_);
    stopping_ = true;
    vendor_budget_.cv.notify_all();
    push_budget_.cv.notify_all();
    const bool drained =
        deadline == std::chrono::steady_clock::time_point::max()
            ? (idle_cv_.wait(lock, [this] { return in_flight_ == 0; }), true)
            : idle_cv_.wait_until(lock, deadline, [this] { return in_flight_ == 0; });
    if (!drained) return false;
  }
  for (auto& t : workers_) {
    if (t.joinable()) t.join();
  }
  workers_.clear();
  std::lock_guard lock(mutex_);
  started_ = false;
  return true;
}

std::optional<JobRunner::Ticket> JobRunner::prepare_claim(store::ClaimRequest::Kinds kinds,
                                                          const Claimed* ending) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && started_) return std::nullopt;
    ++in_flight_;  // counted before the claim, so stop() never misses a job being claimed
  }
  Ticket ticket{store::ClaimRequest(options_.steps.clock(), 1), std::make_shared<Admission>()};
  ticket.request.kinds = kinds;
  // A riding claim runs inside a commit that may come after stop() began: it claims nothing then,
  // so that no job is claimed once stopping.
  const bool riding = ending != nullptr;
  auto admit_also = [this, riding](const std::string& tenant, const std::string& provider) {
    if (riding && stopping_) return false;
    return !options_.admit || options_.admit(tenant, provider);
  };
  // Teamtailor writes on their own workers are bounded by those workers alone, not by the
  // vendor budgets or the breaker: a tenant whose invitations fill its slots, or whose vendor is
  // down, still gets its cards written.
  const bool vendor_budget = kinds != store::ClaimRequest::Kinds::pushes;
  JobLimits* limits = vendor_budget ? options_.limits.get() : nullptr;
  OutageBreaker* breaker = vendor_budget ? options_.breaker.get() : nullptr;
  if (!limits && !breaker) {
    ticket.request.admit = admit_also;
    return ticket;
  }
  if (limits) {
    if (ending && ending->holds_slot) {
      ticket.admission->ending.emplace(ending->job.tenant, ending->job.provider);
    }
    const JobLimits::Slot* ending_slot =
        ticket.admission->ending ? &*ticket.admission->ending : nullptr;
    ticket.request.skip_tenants = limits->full_tenants(ending_slot);
    ticket.request.skip_providers = limits->full_providers(ending_slot);
    if (breaker && !ticket.request.skip_providers.empty()) {
      // A held job needs no slot (admit below): a full provider whose breaker is open still has
      // its jobs claimed and put back, rather than left due for every claim to walk past.
      for (const std::string& open : breaker->open_pairs()) {
        std::erase(ticket.request.skip_providers, open);
      }
    }
  }
  ticket.request.admit = [this, admission = ticket.admission, admit_also, limits, breaker](
                             const std::string& tenant, const std::string& provider) {
    if (admission->ending && !admission->ending_released) {
      // Once only, even when the commit is then rolled back: the ending job then runs on
      // without a slot until it is recorded, rather than have its slot given back twice.
      admission->ending_freed_limit =
          limits->release(admission->ending->first, admission->ending->second);
      admission->ending_released = true;
    }
    // The claim may admit a job and still pass it by (on PostgreSQL, when another daemon holds
    // its order's row), or run its transaction again: with one job per claim, an earlier
    // admission that is asked again was not claimed, so what it took goes back first.
    give_back(*admission);
    if (!admit_also(tenant, provider)) return false;
    if (breaker) {
      OutageBreaker::ProbeId probe_id = 0;
      const OutageBreaker::Start start = breaker->try_start(tenant, provider, &probe_id);
      if (start == OutageBreaker::Start::held) {
        // Claimed all the same, and put back to come later (run_claimed). It calls no vendor, so
        // it takes no slot and no rate token of the limits.
        admission->held = true;
        return true;
      }
      if (start == OutageBreaker::Start::probe)
        admission->probe.emplace(ProbeTurn{{tenant, provider}, probe_id});
    }
    if (limits) {
      if (!limits->try_acquire(tenant, provider)) {
        const bool probe = admission->probe.has_value();
        give_back(*admission);  // a probe's turn goes back with the job
        if (!probe) return false;
        // The probe is due, but its provider has no slot or token (calls made before the breaker
        // opened may still be running): the job is held like the rest. Passed by instead, every
        // job of the open pair (let past the full providers above) would fill each claim's
        // candidates ahead of other tenants' work until a slot frees.
        admission->held = true;
        return true;
      }
      admission->taken.emplace(tenant, provider);
    }
    return true;
  };
  return ticket;
}

void JobRunner::give_back(Admission& admission) {
  if (admission.taken) {
    options_.limits->give_back(admission.taken->first, admission.taken->second);
    admission.taken.reset();
  }
  if (admission.probe) {
    options_.breaker->return_probe(admission.probe->pair.first, admission.probe->pair.second,
                                   admission.probe->id);
    admission.probe.reset();
  }
  admission.held = false;
}

std::optional<JobRunner::Claimed> JobRunner::settle(Ticket& ticket,
                                                    std::vector<store::JobRecord>* jobs) {
  if (!jobs || jobs->empty()) {
    give_back(*ticket.admission);
    std::lock_guard lock(mutex_);
    --in_flight_;
    idle_cv_.notify_all();
    return std::nullopt;
  }
  // A push, which calls Teamtailor and not the vendor, runs even while its provider's breaker is
  // open (it comes to the breaker only when pushes share the vendor workers, and then runs without
  // a slot of the limits, as a held job would have been put back without one).
  const bool held = ticket.admission->held && jobs->front().kind != store::JobKind::push;
  std::optional<OutageBreaker::ProbeId> probe;
  if (ticket.admission->probe) probe = ticket.admission->probe->id;
  return Claimed{std::move(jobs->front()), ticket.admission->taken.has_value(), probe, held};
}

std::optional<JobRunner::Claimed> JobRunner::claim_one(store::ClaimRequest::Kinds kinds) {
  auto ticket = prepare_claim(kinds, nullptr);
  if (!ticket) return std::nullopt;
  auto jobs = store_.claim_due_jobs(ticket->request);
  // A failed claim claimed nothing: the worker looks again after its idle wait, not in a loop.
  if (!jobs && options_.on_store_error) options_.on_store_error(StoreWrite::claim, jobs.error());
  return settle(*ticket, jobs ? &*jobs : nullptr);
}

JobRunner::Next JobRunner::run_claimed(const Claimed& claimed,
                                       std::optional<store::ClaimRequest::Kinds> ride) {
  const store::JobRecord& job = claimed.job;
  // A push waits out a Teamtailor outage as vendor work waits out its vendor's, but its breaker
  // is asked here, once the push is claimed: a claim's admit knows the job's pair, not its kind.
  std::optional<std::chrono::milliseconds> hold;  // set: the job is put back for this long
  std::string why;
  std::optional<std::string> teamtailor_probe;  // the connection whose probe this push is
  OutageBreaker::ProbeId teamtailor_probe_id = 0;
  OutageBreaker* holder = nullptr;  // the breaker that held the job
  std::uint64_t resets_seen = 0;    // its resets before the hold was worked out
  if (claimed.held) {
    holder = options_.breaker.get();
    resets_seen = holder->resets();
    hold = holder->hold_for(job.tenant, job.provider);
    why = job.tenant + "/" + job.provider + "'s vendor is not answering";
  } else if (job.kind == store::JobKind::push && options_.teamtailor_breaker) {
    std::string connection = teamtailor_of(job.tenant);
    switch (options_.teamtailor_breaker->try_start(connection, kTeamtailor, &teamtailor_probe_id)) {
      case OutageBreaker::Start::held:
        holder = options_.teamtailor_breaker.get();
        resets_seen = holder->resets();
        hold = holder->hold_for(connection, kTeamtailor);
        why = "Teamtailor is not answering";
        break;
      case OutageBreaker::Start::probe:
        teamtailor_probe = std::move(connection);
        break;
      case OutageBreaker::Start::normal:
        break;
    }
  }
  std::optional<Ticket> rider;
  // A held job's putting back carries no claim: the worker then looks for work on its own.
  if (ride && !hold) rider = prepare_claim(*ride, &claimed);
  // Only a store whose leases other daemons read (lease_renewal set) needs the job held: on
  // SQLite the job loop takes no lock for it.
  const bool leased = options_.lease_renewal.count() > 0;
  if (leased) leases_.hold(job);
  std::optional<std::vector<store::JobRecord>> taken;
  if (hold) {
    steps_.put_back(job, options_.steps.clock() + *hold,
                    "held: " + why + "; due again in " + std::to_string(hold->count() / 1000) +
                        " s (jobs.breaker)");
    if (holder->resets() != resets_seen) wake_held_after_reset();
  } else {
    taken = steps_.run(job, rider ? &rider->request : nullptr);
  }
  if (leased) leases_.drop(job);
  if (claimed.probe) options_.breaker->return_probe(job.tenant, job.provider, *claimed.probe);
  if (teamtailor_probe)
    options_.teamtailor_breaker->return_probe(*teamtailor_probe, kTeamtailor, teamtailor_probe_id);
  const bool slot_given_back = rider && rider->admission->ending_released;
  bool freed_limit = slot_given_back && rider->admission->ending_freed_limit;
  if (claimed.holds_slot && !slot_given_back) {
    freed_limit = options_.limits->release(job.tenant, job.provider);
  }
  {
    std::lock_guard lock(mutex_);
    --in_flight_;
    // A full tenant or provider has room again: a vendor worker may now claim a job the limit
    // held back. (The jobs of this job's order that waited for it are the store's to tell: its
    // commit calls the jobs listener.)
    if (freed_limit) wake_locked(vendor_budget_, 1);
  }
  idle_cv_.notify_all();
  if (!rider) return {};
  Next next{settle(*rider, taken ? &*taken : nullptr)};
  next.found_nothing = !next.job && taken.has_value();
  return next;
}

void JobRunner::wake_held_after_reset() {
  // A reload closed the breakers while this job was being held, and made the held jobs due
  // before this one was put back: it is made due too, with any others so marked (the reload's
  // own wake made them due already). Not done, it would wait out a hold the operator just ended.
  if (auto woken = store_.wake_jobs_waiting_for_provider(); !woken) {
    if (options_.on_store_error) options_.on_store_error(StoreWrite::wake, woken.error());
    return;
  }
  notify();
}

int JobRunner::run_due(int max_jobs) {
  int ran = 0;
  while (ran < max_jobs) {
    auto job = claim_one(store::ClaimRequest::Kinds::all);
    if (!job) break;
    run_claimed(*job, std::nullopt);
    ++ran;
  }
  return ran;
}

void JobRunner::worker_loop(store::ClaimRequest::Kinds kinds) {
  Budget& budget = budget_of(kinds);
  auto wakes_now = [&] {
    std::lock_guard lock(mutex_);
    return budget.wakes;
  };
  for (;;) {
    std::uint64_t seen = 0;  // wake-ups before this look for work
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      seen = budget.wakes;
    }
    auto job = claim_one(kinds);
    // Each job's completion claims the next in its commit (one commit per job, not two); a job
    // claimed that way runs even when stop() began meanwhile, as any claimed job does. A riding
    // claim that found nothing was this worker's look for work: it sleeps next, unless woken
    // since that commit began.
    bool looked = !job;
    while (job) {
      const std::uint64_t before_ride = wakes_now();
      Next next = run_claimed(*job, kinds);
      job = std::move(next.job);
      looked = next.found_nothing;
      if (looked) seen = before_ride;
    }
    if (!looked) continue;
    auto wait = options_.idle_wait;
    if (options_.limits) {
      // A provider out of rate tokens gets one back soon: look again then, not a second later.
      const auto token = options_.limits->next_token_in();
      if (token > std::chrono::milliseconds(0) && token < wait) wait = token;
    }
    // A failed read keeps the idle wait; the next claim reports the store's trouble.
    if (auto due = store_.next_due_at(); due && *due) {
      const auto until =
          std::chrono::duration_cast<std::chrono::milliseconds>(**due - options_.steps.clock());
      if (until > std::chrono::milliseconds(0) && until < wait) wait = until;
    }
    std::unique_lock lock(mutex_);
    ++sleeping_;
    budget.cv.wait_for(lock, wait,
                       [this, &budget, seen] { return budget.wakes != seen || stopping_; });
    --sleeping_;
  }
}

}  // namespace ttb::jobs
