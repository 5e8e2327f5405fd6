#include "jobs/job_steps.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "jobs/call_deaths.h"
#include "orders/card_actions.h"
#include "orders/failure_summary.h"
#include "orders/order_json.h"
#include "orders/order_status.h"
#include "orders/result_view.h"
#include "orders/vendor_update.h"

namespace ttb::jobs {
namespace {

// What a completing commit that carried `then_claim` claimed (JobSteps::run's answer).
std::optional<std::vector<store::JobRecord>> rode(const store::ClaimRequest* then_claim,
                                                  orders::ApplyResult& applied) {
  if (!then_claim) return std::nullopt;
  return std::move(applied.claimed);
}

using plugins::CallResult;
using plugins::CallStatus;

bool payload_flag(const std::string& payload, const char* key) {
  auto j = nlohmann::json::parse(payload, nullptr, false);
  if (!j.is_object()) return false;
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

std::string payload_string(const std::string& payload, const char* key) {
  auto j = nlohmann::json::parse(payload, nullptr, false);
  if (!j.is_object()) return "";
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

// True when the plugin's answer is an order update with a final status: the poll chain ends
// with it (a later poll could only find the order final and stop).
bool reports_final(const CallResult& answer) {
  if (!answer.ok()) return false;
  auto parsed = orders::parse_vendor_update(answer.json);
  if (!parsed.update || !parsed.update->status) return false;
  return orders::is_terminal(orders::from_vendor(*parsed.update->status));
}

}  // namespace

std::chrono::milliseconds poll_delay(std::chrono::milliseconds age,
                                     std::chrono::milliseconds interval,
                                     std::chrono::milliseconds interval_max) {
  const auto ceiling = std::max(interval, interval_max);
  return std::clamp(std::max(age, std::chrono::milliseconds(0)) / kPollAgeDivisor, interval,
                    ceiling);
}

const char* to_string(JobEvent::Outcome outcome) {
  switch (outcome) {
    case JobEvent::Outcome::done:
      return "done";
    case JobEvent::Outcome::retry:
      return "retry";
    case JobEvent::Outcome::deferred:
      return "deferred";
    case JobEvent::Outcome::dead:
      return "dead";
    case JobEvent::Outcome::store_error:
      return "store_error";
    case JobEvent::Outcome::fenced:
      return "fenced";
  }
  return "done";
}

JobSteps::JobSteps(store::Store& store, orders::OrderService& orders, ProviderDirectory& providers,
                   ResultPublisher& publisher, StepOptions options)
    : store_(store),
      orders_(orders),
      providers_(providers),
      publisher_(publisher),
      options_(std::move(options)) {
  if (!options_.clock) options_.clock = [] { return std::chrono::system_clock::now(); };
  if (!options_.uniform01) {
    auto rng = std::make_shared<std::mt19937_64>(std::random_device{}());
    auto mutex = std::make_shared<std::mutex>();
    options_.uniform01 = [rng, mutex] {
      std::lock_guard lock(*mutex);
      return std::uniform_real_distribution<double>(0.0, 1.0)(*rng);
    };
  }
}

std::optional<std::vector<store::JobRecord>> JobSteps::run(const store::JobRecord& job,
                                                           const store::ClaimRequest* then_claim) {
  const auto started = std::chrono::steady_clock::now();
  Result result;
  try {
    result = run_step(job, then_claim);
  } catch (const std::exception& e) {
    result = retry_or_die(job, std::string("internal error: ") + e.what(), std::nullopt);
  }
  if (result.outcome == Outcome::store_error) {
    // The job ran (or tried to): handed back as a retry, which counts its attempt.
    std::string detail = "store error: " + result.detail;
    result = hand_back_after_store_error(
        std::move(result),
        [&] { return store_.retry_job(job, now() + std::chrono::seconds(1), detail); },
        {Outcome::retry, detail});
  }
  return report(job, std::move(result), started);
}

void JobSteps::put_back(const store::JobRecord& job, store::TimePoint run_at,
                        const std::string& note) {
  const auto started = std::chrono::steady_clock::now();
  Result result{Outcome::deferred, note};
  // Marked as waiting for its provider, as a job of a provider a reload removed is: the reload
  // that closes every breaker (an operator who fixed the provider) then makes it due at once.
  auto write = [&] { return store_.wait_for_provider(job, run_at, note); };
  if (auto written = write(); !written) {
    result = write_failed(written.error());
    // The job called no vendor: once the store takes writes again it is put back as it would
    // have been, keeping its attempt and its mark, not retried as a job that ran.
    if (result.outcome == Outcome::store_error) {
      result = hand_back_after_store_error(std::move(result), write, {Outcome::deferred, note});
    }
  }
  report(job, std::move(result), started);
}

std::optional<std::vector<store::JobRecord>> JobSteps::report(
    const store::JobRecord& job, Result result, std::chrono::steady_clock::time_point started) {
  if (result.outcome == Outcome::dead) {
    orders_.note(job.order_id, "engine", "job_dead",
                 std::string(store::to_string(job.kind)) + " job " + std::to_string(job.id) +
                     " is a dead letter: " + result.detail);
  }
  if (options_.on_event) {
    options_.on_event(JobEvent{job, result.outcome, result.detail,
                               std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::steady_clock::now() - started)});
  }
  return std::move(result.claimed);
}

JobSteps::Result JobSteps::hand_back_after_store_error(
    Result failed, const std::function<store::Result<void>()>& hand_back, Result handed_back) {
  // The outcome could not be recorded (disk full, I/O error), so the job is still `running` in
  // the store and no claim would ever pick it up again before a restart. Hand it back to the
  // queue as soon as the store takes writes again; a bounded wait keeps stop() bounded too.
  auto pause = std::chrono::milliseconds(50);
  for (int attempt = 0; attempt < 8; ++attempt) {
    auto written = hand_back();
    if (written) return handed_back;
    if (written.failed_with(store::Error::Code::fenced)) return write_failed(written.error());
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(1000));
  }
  return failed;
}

JobSteps::Result JobSteps::run_step(const store::JobRecord& job,
                                    const store::ClaimRequest* then_claim) {
  if (is_poison(job.deaths)) return dead(job, poison_reason(job.deaths), "crashed");
  auto order = store_.get_order(job.order_id);
  if (order.failed_with(store::Error::Code::not_found)) {
    return dead(job, "order " + job.order_id + " does not exist");
  }
  if (!order) return retry_or_die(job, order.error().message, std::nullopt);
  switch (job.kind) {
    case store::JobKind::invite:
      return invite(job, *order, then_claim);
    case store::JobKind::push:
      return push(job, *order, then_claim);
    case store::JobKind::poll:
      return poll(job, *order, then_claim);
    case store::JobKind::cancel:
      return cancel(job, *order, then_claim);
    case store::JobKind::action:
      return action(job, *order, then_claim);
  }
  return dead(job, "unknown job kind");
}

JobSteps::Result JobSteps::invite(const store::JobRecord& job, const store::OrderRecord& order,
                                  const store::ClaimRequest* then_claim) {
  const auto status =
      orders::parse_order_status(order.status).value_or(orders::OrderStatus::received);
  const bool replay = payload_flag(job.payload_json, "replay");
  if (orders::is_terminal(status)) return finish(job);
  // Already invited (the invite's update and its completion commit together, so this is a
  // replay's business only): never invite a candidate twice by accident.
  if (status != orders::OrderStatus::received && !replay) return finish(job);
  auto provider = providers_.find(job.tenant, job.provider);
  if (!provider) return wait_for_provider(job);

  // The order id travels in the request: plugins send it as the vendor's idempotency key, so a
  // retry after a crash between the vendor call and our commit does not invite twice.
  CallResult answer = call(job, *provider, [&] {
    return provider->create_order(orders::create_order_request_json(order));
  });
  // A refusal, or a failure that outlasts its retries, fails the order as it dies (dead()).
  if (!answer.ok()) return failure(job, answer);
  orders::ApplyContext ctx;
  ctx.order_id = order.id;
  ctx.finish_job = job;
  ctx.default_status = orders::VendorStatus::sent;
  if (!replay && !reports_final(answer)) {
    if (auto next = next_poll(job, order, *provider)) ctx.also_enqueue.push_back(*next);
  }
  return apply_answer(job, answer, ctx, then_claim);
}

std::optional<std::vector<orders::CardAction>> JobSteps::card_actions_for(
    const store::JobRecord& job, const store::OrderRecord& order) {
  auto provider = providers_.find(job.tenant, job.provider);
  const auto status = orders::parse_order_status(order.status);
  // Without the provider nobody can say what it supports: leave the card's buttons as they are.
  if (!provider || !status) return std::nullopt;
  orders::ActionSupport support;
  support.cancel = provider->supports_cancel_order();
  support.resend =
      provider->supports_run_action() && provider->declares_action("resend_invitation");
  return orders::card_actions(*status, support);
}

JobSteps::Result JobSteps::push(const store::JobRecord& job, const store::OrderRecord& order,
                                const store::ClaimRequest* then_claim) {
  const bool force = payload_flag(job.payload_json, "force");
  // Pushes send the order's current result, one at a time per order: a push that finds its
  // result already written (a later push got there first) has nothing left to say.
  if (!force && order.pushed_version >= order.result_version) {
    Result r = finish(job);
    if (r.outcome == Outcome::done) r.detail = "nothing new to push";
    return r;
  }
  orders::ResultView view = orders::ResultView::from_json(order.result_json);
  if (view.status.empty()) return finish(job);
  view.actions = card_actions_for(job, order);
  PublishOutcome outcome;
  bool published = false;
  try {
    outcome = publisher_.publish(order, view);
    published = true;
  } catch (const std::exception& e) {
    outcome = PublishOutcome::retry(std::string("publisher threw: ") + e.what());
  }
  if (published && options_.on_publish) options_.on_publish(job, outcome);
  switch (outcome.kind) {
    case PublishOutcome::Kind::retryable:
      return retry_or_die(job, "Teamtailor: " + outcome.error, outcome.retry_after);
    case PublishOutcome::Kind::rejected:
      return dead(job, "Teamtailor refused the result: " + outcome.error);
    case PublishOutcome::Kind::ok:
      break;
  }
  auto recorded = orders_.record_push(
      order, view.status, job,
      then_claim ? std::optional<store::ClaimRequest>(claim_now(*then_claim)) : std::nullopt);
  switch (recorded.status) {
    case orders::ApplyResult::Status::applied:
      return {Outcome::done, "", rode(then_claim, recorded)};
    case orders::ApplyResult::Status::not_found:
      return dead(job, recorded.message);
    default:
      // Written to Teamtailor but not recorded: a retry writes the same result again, which is
      // harmless (PUT of the same attributes).
      return retry_or_die(job, "pushed, but recording it failed: " + recorded.message,
                          std::nullopt);
  }
}

JobSteps::Result JobSteps::poll(const store::JobRecord& job, const store::OrderRecord& order,
                                const store::ClaimRequest* then_claim) {
  const auto status =
      orders::parse_order_status(order.status).value_or(orders::OrderStatus::received);
  if (orders::is_terminal(status)) return finish(job);
  auto provider = providers_.find(job.tenant, job.provider);
  if (!provider) return wait_for_provider(job);
  if (!provider->supports_fetch_order()) return finish(job);
  // A replayed or reconciliation poll is a one-off; the regular chain schedules the next one.
  const bool one_off =
      payload_flag(job.payload_json, "replay") || payload_flag(job.payload_json, "reconcile");
  std::optional<store::NewJob> next;
  if (!one_off) next = next_poll(job, order, *provider);
  if (status == orders::OrderStatus::received) {
    // Not invited yet: nothing to ask the vendor; look again later.
    store::ChangeSet changes;
    changes.finish_job = job;
    if (next) changes.new_jobs.push_back(*next);
    auto committed = store_.commit(changes);
    if (committed.failed_with(store::Error::Code::fenced)) return write_failed(committed.error());
    if (!committed) return retry_or_die(job, committed.error().message, std::nullopt);
    return {Outcome::done, "not invited yet"};
  }
  CallResult answer = call(
      job, *provider, [&] { return provider->fetch_order(orders::order_context_json(order)); });
  if (answer.status == CallStatus::unsupported) return finish(job);
  if (reports_final(answer)) next.reset();  // the chain ends with the final answer
  orders::ApplyContext ctx;
  ctx.order_id = order.id;
  ctx.finish_job = job;
  ctx.quiet_if_unchanged = true;
  if (next) ctx.also_enqueue.push_back(*next);
  return apply_answer(job, answer, ctx, then_claim);
}

JobSteps::Result JobSteps::cancel(const store::JobRecord& job, const store::OrderRecord& order,
                                  const store::ClaimRequest* then_claim) {
  const auto status =
      orders::parse_order_status(order.status).value_or(orders::OrderStatus::received);
  if (orders::is_terminal(status)) return finish(job);
  if (status == orders::OrderStatus::received) return cancel_before_invitation(job, then_claim);
  auto provider = providers_.find(job.tenant, job.provider);
  if (!provider) return wait_for_provider(job);
  if (!provider->supports_cancel_order()) {
    return dead(job, "the plugin of " + job.tenant + "/" + job.provider +
                         " cannot cancel orders; cancel it at the vendor");
  }
  CallResult answer = call(
      job, *provider, [&] { return provider->cancel_order(orders::order_context_json(order)); });
  orders::ApplyContext ctx;
  ctx.order_id = order.id;
  ctx.finish_job = job;
  return apply_answer(job, answer, ctx, then_claim);
}

JobSteps::Result JobSteps::cancel_before_invitation(const store::JobRecord& job,
                                                    const store::ClaimRequest* then_claim) {
  // Its invite is queued, waiting to retry or held in an outage. Asked to cancel an order it
  // does not know, the vendor (or the plugin, without a vendor order id) refuses, and the invite
  // would still go out to a candidate the recruiter has cancelled.
  orders::ApplyContext ctx;
  if (then_claim) ctx.then_claim = claim_now(*then_claim);
  auto applied = fail_uninvited(job, "cancelled", "Cancelled before the invitation was sent", ctx);
  using S = orders::ApplyResult::Status;
  switch (applied.status) {
    case S::applied:
    case S::ignored:
      return {Outcome::done, "cancelled before the invitation was sent", rode(then_claim, applied)};
    case S::not_found:
      return finish(job);  // gone: nothing left to cancel
    case S::invalid:
      // Invited meanwhile, by the callback of an invite whose answer never reached us: the
      // vendor has the order now, so the next run cancels it there.
      return retry_or_die(job, "the order was invited as its cancel ran; cancelling at the vendor",
                          std::nullopt);
    case S::store_error:
      break;
  }
  return retry_or_die(job, "store: " + applied.message, std::nullopt);
}

JobSteps::Result JobSteps::action(const store::JobRecord& job, const store::OrderRecord& order,
                                  const store::ClaimRequest* then_claim) {
  // Queued while the order was open, run after it ended: nothing to resend to a candidate whose
  // test is over or cancelled.
  const auto status = orders::parse_order_status(order.status);
  if (status && orders::is_terminal(*status)) return finish(job);
  const std::string name = payload_string(job.payload_json, "action");
  if (name.empty()) return dead(job, "action job without an action name");
  auto provider = providers_.find(job.tenant, job.provider);
  if (!provider) return wait_for_provider(job);
  if (!provider->supports_run_action()) {
    return dead(job, "the plugin of " + job.tenant + "/" + job.provider +
                         " does not support actions ('" + name + "')");
  }
  CallResult answer = call(job, *provider, [&] {
    return provider->run_action(orders::action_request_json(name, order));
  });
  orders::ApplyContext ctx;
  ctx.order_id = order.id;
  ctx.finish_job = job;
  return apply_answer(job, answer, ctx, then_claim);
}

CallResult JobSteps::call(const store::JobRecord& job, const plugins::Provider& provider,
                          const std::function<std::future<CallResult>()>& issue) {
  CallResult answer = wait_for_call(job, provider, issue);
  if (options_.on_call) options_.on_call(job, answer.status);
  return answer;
}

CallResult JobSteps::wait_for_call(const store::JobRecord& job, const plugins::Provider& provider,
                                   const std::function<std::future<CallResult>()>& issue) {
  const InflightCall in_flight(
      provider.runs_in_daemon_process() ? options_.inflight_journal.get() : nullptr, job.id);
  std::future<CallResult> future = issue();
  CallResult timeout;
  timeout.status = CallStatus::timeout;
  if (!future.valid()) {
    timeout.status = CallStatus::internal;
    timeout.detail = "the provider returned no result";
    return timeout;
  }
  if (future.wait_for(options_.call_timeout) != std::future_status::ready) {
    timeout.detail =
        "the plugin did not answer within " + std::to_string(options_.call_timeout.count()) + " ms";
    return timeout;
  }
  return future.get();
}

JobSteps::Result JobSteps::apply_answer(const store::JobRecord& job, const CallResult& answer,
                                        orders::ApplyContext context,
                                        const store::ClaimRequest* then_claim) {
  if (!answer.ok()) return failure(job, answer);
  if (then_claim) context.then_claim = claim_now(*then_claim);
  auto applied =
      orders_.apply_vendor_update(job.tenant, job.provider, answer.json, "vendor", context);
  using S = orders::ApplyResult::Status;
  switch (applied.status) {
    case S::applied:
    case S::ignored:
      return {Outcome::done, applied.message, rode(then_claim, applied)};
    case S::invalid:
    case S::not_found:
      return dead(job, "the plugin answered with an unusable order update: " + applied.message);
    case S::store_error:
      break;
  }
  return retry_or_die(job, "store: " + applied.message, std::nullopt);
}

JobSteps::Result JobSteps::failure(const store::JobRecord& job, const CallResult& answer) {
  std::string error = std::string(store::to_string(job.kind)) + ": plugin answered " +
                      plugins::to_string(answer.status);
  if (!answer.detail.empty()) error += ": " + answer.detail;
  const char* status = plugins::to_string(answer.status);
  if (answer.status == CallStatus::crashed) return died_in_call(job, error);
  if (plugins::is_retryable(answer.status)) {
    return retry_or_die(job, error, answer.retry_after, status);
  }
  return dead(job, error, status);
}

JobSteps::Result JobSteps::died_in_call(const store::JobRecord& job, const std::string& error) {
  auto counted = store_.count_job_deaths({job.id});
  if (!counted) return {Outcome::store_error, counted.error().message};
  const int deaths = job.deaths + 1;
  if (is_poison(deaths)) return dead(job, poison_reason(deaths) + " (" + error + ")", "crashed");
  return retry_or_die(job, error, std::nullopt, "crashed");
}

JobSteps::Result JobSteps::retry_or_die(const store::JobRecord& job, const std::string& error,
                                        std::optional<std::chrono::milliseconds> retry_after,
                                        std::string_view call_status) {
  RetryPolicy policy = options_.policy_for ? options_.policy_for(job) : options_.retry;
  if (job.max_attempts > 0) policy.max_attempts = job.max_attempts;
  auto next = policy.next_run(job.attempts, job.created_at, now(), retry_after, options_.uniform01);
  if (!next) {
    return dead(job, error + " (gave up after " + std::to_string(job.attempts) + " attempts)",
                call_status);
  }
  auto written = store_.retry_job(job, *next, error);
  if (!written) return write_failed(written.error());
  return {Outcome::retry, error};
}

JobSteps::Result JobSteps::finish(const store::JobRecord& job) {
  auto written = store_.finish_job(job);
  if (!written) return write_failed(written.error());
  return {Outcome::done, ""};
}

JobSteps::Result JobSteps::wait_for_provider(const store::JobRecord& job) {
  const std::string note = "waiting for provider: provider " + job.provider + " of tenant " +
                           job.tenant + " is not configured right now; the job waits for it";
  auto written = store_.wait_for_provider(job, now() + options_.provider_wait, note);
  if (!written) return write_failed(written.error());
  return {Outcome::deferred, note};
}

JobSteps::Result JobSteps::dead(const store::JobRecord& job, const std::string& error,
                                std::string_view call_status) {
  if (job.kind == store::JobKind::invite) {
    if (auto ended = fail_invitation(job, error, call_status)) return *ended;
  }
  auto written = store_.kill_job(job, error);
  if (!written) return write_failed(written.error());
  return {Outcome::dead, error};
}

store::ClaimRequest JobSteps::claim_now(const store::ClaimRequest& then_claim) const {
  store::ClaimRequest request = then_claim;
  request.now = now();  // the runner made it before the step: jobs due since count too
  return request;
}

JobSteps::Result JobSteps::write_failed(const store::Error& error) {
  if (error.code == store::Error::Code::fenced) return {Outcome::fenced, error.message};
  return {Outcome::store_error, error.message};
}

std::optional<JobSteps::Result> JobSteps::fail_invitation(const store::JobRecord& job,
                                                          const std::string& error,
                                                          std::string_view call_status) {
  // One commit, fenced by the claim: a run whose job was taken over (on PostgreSQL, after its
  // lease ran out) changes neither the order, which the new holder may be inviting, nor the job.
  // Only an order still waiting for its invitation fails with it: a replayed invite of an order
  // the vendor already has, or one a callback invited while this invite died, is left as it is.
  const orders::InviteFailure failure = orders::invite_failure(call_status);
  orders::ApplyContext ctx;
  ctx.finish_as_dead = error;
  auto applied = fail_uninvited(job, orders::to_string(failure.reason), failure.summary, ctx);
  using S = orders::ApplyResult::Status;
  switch (applied.status) {
    case S::applied:
    case S::ignored:
      return Result{Outcome::dead, error};
    case S::invalid:
    case S::not_found:
      return std::nullopt;  // nothing was written: the job dies alone
    case S::store_error:
      break;
  }
  // Fenced, or the store failed: nothing was written. run() hands the job back to the queue
  // (hand_back_after_store_error), or finds it taken over (fenced).
  return Result{Outcome::store_error, applied.message};
}

orders::ApplyResult JobSteps::fail_uninvited(const store::JobRecord& job, std::string_view reason,
                                             const std::string& summary,
                                             orders::ApplyContext context) {
  const nlohmann::json update{{"order_id", job.order_id},
                              {"status", "failed"},
                              {"failure_reason", reason},
                              {"summary", summary}};
  context.order_id = job.order_id;
  context.finish_job = job;
  context.only_while = orders::OrderStatus::received;
  return orders_.apply_vendor_update(job.tenant, job.provider, update.dump(), "engine", context);
}

std::optional<store::NewJob> JobSteps::next_poll(const store::JobRecord& job,
                                                 const store::OrderRecord& order,
                                                 const plugins::Provider& provider) {
  if (!provider.supports_fetch_order()) return std::nullopt;
  store::NewJob next;
  next.order_id = job.order_id;
  next.tenant = job.tenant;
  next.provider = job.provider;
  next.kind = store::JobKind::poll;
  const auto age = std::chrono::duration_cast<std::chrono::milliseconds>(now() - order.created_at);
  next.run_at = now() + poll_delay(age, options_.poll_interval, options_.poll_interval_max);
  return next;
}

}  // namespace ttb::jobs
