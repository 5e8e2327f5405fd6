#pragma once
// What each kind of job does, one claimed job at a time: invite (create_order → invited → push),
// push (the order's current result → Teamtailor), poll (fetch_order, again later while open),
// cancel (cancel_order) and action (run_action). Each records its own outcome in the store:
// done, retry at a time, deferred (provider missing), or dead letter with the last error.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "jobs/inflight_journal.h"
#include "jobs/ports.h"
#include "jobs/retry_policy.h"
#include "orders/order_service.h"
#include "store/store.h"

namespace ttb::jobs {

struct JobEvent {
  // fenced: the job was taken over by another claim (its lease ran out) before this run could
  // record its outcome; nothing was recorded and the runner drops the job.
  enum class Outcome { done, retry, deferred, dead, store_error, fenced };
  const store::JobRecord& job;
  Outcome outcome;
  std::string detail;  // the error or note recorded with the job
  std::chrono::milliseconds duration{0};
};

const char* to_string(JobEvent::Outcome outcome);

inline constexpr int kPollAgeDivisor = 12;

// When the poll chain asks again about an order aged `age` (see StepOptions::poll_interval).
std::chrono::milliseconds poll_delay(std::chrono::milliseconds age,
                                     std::chrono::milliseconds interval,
                                     std::chrono::milliseconds interval_max);

struct StepOptions {
  RetryPolicy retry;
  // Per-tenant overrides (a tenant file's `retry:`). Empty: `retry` for every job.
  std::function<RetryPolicy(const store::JobRecord&)> policy_for;
  store::Clock clock;                 // default: system clock
  std::function<double()> uniform01;  // jitter source; default: a seeded mt19937
  std::chrono::milliseconds provider_wait{std::chrono::seconds(30)};
  // The regular poll chain (providers that can fetch_order): a poll of an order aged A runs
  // again after A / kPollAgeDivisor, never sooner than poll_interval and never later than
  // poll_interval_max (when that is the larger). A fresh order is polled every poll_interval, a
  // day-old one hourly, so a vendor without webhooks is asked often while a result is likely and
  // rarely for an order the candidate left alone. The chain ends with the answer that makes the
  // order final.
  std::chrono::milliseconds poll_interval{std::chrono::minutes(5)};
  std::chrono::milliseconds poll_interval_max{std::chrono::hours(1)};
  // Safety net over the host's own plugin deadline: a call not back by then counts as timeout.
  std::chrono::milliseconds call_timeout{std::chrono::seconds(120)};
  std::function<void(const JobEvent&)> on_event;  // logs and metrics; called on the worker
  // Each plugin call's status as it returns (the wait above running out included), on the worker
  // that made it: the runner's OutageBreaker learns of a vendor's outage from it.
  std::function<void(const store::JobRecord&, plugins::CallStatus)> on_call;
  // Each push's outcome as Teamtailor gave it (not a publisher that threw), on the worker that
  // pushed: the runner's Teamtailor breaker learns of an outage from it.
  std::function<void(const store::JobRecord&, const PublishOutcome&)> on_publish;
  // Journals the calls of plugins inside the daemon, so that a call the daemon dies in counts a
  // death for its job at the next start (call_deaths.h). Null: not journaled.
  std::shared_ptr<const InflightJournal> inflight_journal;
};

class JobSteps {
 public:
  JobSteps(store::Store& store, orders::OrderService& orders, ProviderDirectory& providers,
           ResultPublisher& publisher, StepOptions options);

  // Runs one claimed (running) job to an outcome recorded in the store. Never throws.
  // `then_claim`, when given, rides on the commit that records a completed step (the vendor's
  // answer applied, a result written to Teamtailor): the returned jobs were claimed in that
  // commit and are the caller's to run. nullopt when the outcome was recorded otherwise (a
  // retry, a dead letter, a plain finish, a failed write): then the claim did not run.
  std::optional<std::vector<store::JobRecord>> run(const store::JobRecord& job,
                                                   const store::ClaimRequest* then_claim = nullptr);
  // Puts a claimed job back in the queue without running it, its attempt given back, due again at
  // `run_at` or at the next reload, whichever comes first (JobTransition::wait_for_provider: the
  // runner's OutageBreaker holds it), and reports that as its outcome (`deferred`).
  void put_back(const store::JobRecord& job, store::TimePoint run_at, const std::string& note);

 private:
  using Outcome = JobEvent::Outcome;
  struct Result {
    // A constructor, so that {outcome, detail} stays warning-free without the last field.
    Result(Outcome outcome_ = Outcome::done, std::string detail_ = {},
           std::optional<std::vector<store::JobRecord>> claimed_ = std::nullopt)
        : outcome(outcome_), detail(std::move(detail_)), claimed(std::move(claimed_)) {}
    Outcome outcome;
    std::string detail;
    std::optional<std::vector<store::JobRecord>> claimed;  // run()'s answer
  };

  // The end of a job's turn: a dead letter noted in the order's timeline, the event reported.
  // Returns the jobs a riding claim took.
  std::optional<std::vector<store::JobRecord>> report(
      const store::JobRecord& job, Result result, std::chrono::steady_clock::time_point started);
  // The kinds' steps take the claim that may ride on their completing commit (run()).
  Result run_step(const store::JobRecord& job, const store::ClaimRequest* then_claim);
  Result invite(const store::JobRecord& job, const store::OrderRecord& order,
                const store::ClaimRequest* then_claim);
  Result push(const store::JobRecord& job, const store::OrderRecord& order,
              const store::ClaimRequest* then_claim);
  // The result card's buttons for the order now; nullopt when its provider is not available.
  std::optional<std::vector<orders::CardAction>> card_actions_for(const store::JobRecord& job,
                                                                  const store::OrderRecord& order);
  Result poll(const store::JobRecord& job, const store::OrderRecord& order,
              const store::ClaimRequest* then_claim);
  Result cancel(const store::JobRecord& job, const store::OrderRecord& order,
                const store::ClaimRequest* then_claim);
  // A cancel of an order the vendor has not seen yet (still received): ends it here, as
  // cancelled, so its invite finds it final and invites nobody.
  Result cancel_before_invitation(const store::JobRecord& job,
                                  const store::ClaimRequest* then_claim);
  Result action(const store::JobRecord& job, const store::OrderRecord& order,
                const store::ClaimRequest* then_claim);

  // Issues the job's call to `provider` and waits for its answer, which it reports (on_call).
  plugins::CallResult call(const store::JobRecord& job, const plugins::Provider& provider,
                           const std::function<std::future<plugins::CallResult>()>& issue);
  // The call and its wait, journaled while in flight when the plugin runs inside the daemon.
  plugins::CallResult wait_for_call(const store::JobRecord& job, const plugins::Provider& provider,
                                    const std::function<std::future<plugins::CallResult>()>& issue);
  // Records a plugin's answer: the update (finishing the job in the same commit, with
  // `then_claim` riding on it) or the error.
  Result apply_answer(const store::JobRecord& job, const plugins::CallResult& answer,
                      orders::ApplyContext context, const store::ClaimRequest* then_claim);
  Result failure(const store::JobRecord& job, const plugins::CallResult& answer);
  // A call whose plugin process died: counts the death, then retries or, at the limit, dies.
  Result died_in_call(const store::JobRecord& job, const std::string& error);
  Result retry_or_die(const store::JobRecord& job, const std::string& error,
                      std::optional<std::chrono::milliseconds> retry_after,
                      std::string_view call_status = "");
  Result finish(const store::JobRecord& job);
  Result wait_for_provider(const store::JobRecord& job);
  // `call_status`: the plugin's answer that killed the job, "" when it was not one. A dying
  // invite fails its order in the same commit, with the card's summary for that status.
  Result dead(const store::JobRecord& job, const std::string& error,
              std::string_view call_status = "");
  // A dying invite of a still-received order: the order moves to failed (queuing the push of its
  // failure card) and the job dies, in one commit fenced by the job's claim. nullopt when the
  // order is not waiting for its invitation (the job dies alone).
  std::optional<Result> fail_invitation(const store::JobRecord& job, const std::string& error,
                                        std::string_view call_status);
  // Fails the job's order as `reason` with the card's `summary`, only while it is still waiting
  // for its invitation (received: ApplyContext::only_while, checked on the read the commit is
  // planned on), in one commit with the job's end (`context`: finish_as_dead, then_claim).
  orders::ApplyResult fail_uninvited(const store::JobRecord& job, std::string_view reason,
                                     const std::string& summary, orders::ApplyContext context);
  // A job still `running` because its outcome could not be written: handed back to the queue by
  // `hand_back` once the store takes writes again, which makes the outcome `handed_back`. Tries
  // for a few seconds at most; fenced, or never written, the failure's own outcome is returned.
  Result hand_back_after_store_error(Result failed,
                                     const std::function<store::Result<void>()>& hand_back,
                                     Result handed_back);
  // The outcome of a failed store write of this job's: fenced (dropped) or store_error.
  static Result write_failed(const store::Error& error);
  std::optional<store::NewJob> next_poll(const store::JobRecord& job,
                                         const store::OrderRecord& order,
                                         const plugins::Provider& p);
  store::TimePoint now() const { return options_.clock(); }
  // The riding claim as of now, for the commit that carries it.
  store::ClaimRequest claim_now(const store::ClaimRequest& then_claim) const;

  store::Store& store_;
  orders::OrderService& orders_;
  ProviderDirectory& providers_;
  ResultPublisher& publisher_;
  StepOptions options_;
};

}  // namespace ttb::jobs
