// Each job kind against a scripted vendor and Teamtailor, on a manual clock (run_due runs what
// is due on the test's thread; no sleeps).

#include <nlohmann/json.hpp>

#include "forwarding_store.h"
#include "jobs_fixture.h"
#include "orders/card_actions.h"
#include "orders/failure_summary.h"

namespace ttb::jobs::testing {
namespace {

using plugins::CallStatus;
using std::chrono::seconds;
using store::JobKind;
using store::JobState;

class JobStepsTest : public JobsFixture {};

TEST_F(JobStepsTest, InviteCreatesTheVendorOrderAndPushesSent) {
  accept("pr-1");
  EXPECT_EQ(runner().run_due(), 2);  // the invite, then the push it queued

  auto requests = provider_->requests("create_order");
  ASSERT_EQ(requests.size(), 1u);
  auto request = nlohmann::json::parse(requests[0]);
  EXPECT_EQ(request["order_id"], "pr-1");
  EXPECT_EQ(request["test_id"], "cpp-60");
  EXPECT_EQ(request["candidate"]["email"], "ada@example.org");
  EXPECT_EQ(request["callback_url"], "https://ttb.example/callbacks/acme/codility/orders/pr-1");

  auto o = get("pr-1");
  EXPECT_EQ(o.status, "invited");
  EXPECT_EQ(o.vendor_order_id, "v-1");
  auto pushed = publisher_.accepted();
  ASSERT_EQ(pushed.size(), 1u);
  EXPECT_EQ(pushed[0].order_id, "pr-1");
  EXPECT_EQ(pushed[0].result.status, "sent");
  EXPECT_EQ(pushed[0].result.summary, "Invitation sent to ada@example.org");
  EXPECT_EQ(o.pushed_version, o.result_version);
  for (const auto& j : jobs("pr-1")) EXPECT_EQ(j.state, JobState::done) << j.id;
  EXPECT_EQ(store_->timeline("pr-1")->back().event, "pushed");
}

// A run whose claim was overtaken (another daemon took the job over after the lease) records
// nothing: neither the vendor's answer nor a retry. Its outcome is fenced and the job is dropped,
// left to the claim that holds it now.
TEST_F(JobStepsTest, ARunWhoseJobWasTakenOverRecordsNothingAndIsFenced) {
  accept("pr-1");
  auto first = store_->claim_due_jobs({clock_.now(), 1, {}});
  ASSERT_TRUE(first && first->size() == 1u);
  const store::JobRecord stale = first->at(0);
  ASSERT_TRUE(store_->retry_job(stale, clock_.now(), "lease ran out"));
  auto taken = store_->claim_due_jobs({clock_.now(), 1, {}});
  ASSERT_TRUE(taken && taken->size() == 1u);

  std::vector<JobEvent::Outcome> outcomes;
  StepOptions steps = options_.steps;
  steps.on_event = [&](const JobEvent& event) { outcomes.push_back(event.outcome); };
  JobSteps(*store_, *orders_, directory_, publisher_, steps).run(stale);

  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0], JobEvent::Outcome::fenced);
  EXPECT_STREQ(to_string(outcomes[0]), "fenced");
  auto invite = job_of("pr-1", JobKind::invite);
  EXPECT_EQ(invite->state, JobState::running);
  EXPECT_EQ(invite->attempts, taken->at(0).attempts);
  EXPECT_EQ(invite->last_error, "lease ran out");
  EXPECT_EQ(get("pr-1").status, "received");
  EXPECT_EQ(jobs("pr-1").size(), 1u);  // no push, no poll from the stale run
}

// An invitation the vendor refuses fails its order as its job dies, in one commit under the
// claim's fence: a run whose job was taken over while it called the vendor fails nothing, and
// the new holder finds the order still waiting for its invitation.
TEST_F(JobStepsTest, ADyingInviteWhoseJobWasTakenOverFailsNeitherOrderNorJob) {
  accept("pr-1");
  auto first = store_->claim_due_jobs({clock_.now(), 1, {}});
  ASSERT_TRUE(first && first->size() == 1u);
  const store::JobRecord stale = first->at(0);
  std::vector<store::JobRecord> taken;
  provider_->set_handler("create_order", [&](const std::string&) {
    // The lease runs out during the call and another claim takes the job over.
    EXPECT_TRUE(store_->retry_job(stale, clock_.now(), "lease ran out"));
    taken = *store_->claim_due_jobs({clock_.now(), 1, {}});
    std::promise<plugins::CallResult> refused;
    refused.set_value(error(CallStatus::invalid, "email address rejected"));
    return refused.get_future();
  });

  std::vector<JobEvent::Outcome> outcomes;
  StepOptions steps = options_.steps;
  steps.on_event = [&](const JobEvent& event) { outcomes.push_back(event.outcome); };
  JobSteps(*store_, *orders_, directory_, publisher_, steps).run(stale);

  ASSERT_EQ(taken.size(), 1u);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0], JobEvent::Outcome::fenced);
  auto invite = job_of("pr-1", JobKind::invite);
  EXPECT_EQ(invite->state, JobState::running);
  EXPECT_EQ(invite->attempts, taken[0].attempts);
  EXPECT_EQ(get("pr-1").status, "received");
  EXPECT_EQ(jobs("pr-1").size(), 1u) << "no failure card was queued";
}

// The vendor created the invitation although its answer never came back as ok, and its "sent"
// callback lands while the invite dies: the order stays invited, the invite dies alone. Failing
// it would show "could not be reached" on the card, and the order, final, would then ignore the
// candidate's result.
TEST_F(JobStepsTest, AnOrderInvitedByACallbackWhileItsInviteDiesStaysInvited) {
  // The callback commits just after the dying invite's read of the order: that read is stale.
  struct CallbackAfterTheRead : store::testing::ForwardingStore {
    using ForwardingStore::ForwardingStore;
    std::function<void()> after_next_read;
    store::Result<store::OrderRecord> get_order(const std::string& id) override {
      auto read = inner_.get_order(id);
      if (auto then = std::exchange(after_next_read, nullptr)) then();
      return read;
    }
  };
  CallbackAfterTheRead racing(*store_);
  orders::OrderService racing_orders(racing, orders::OrderServiceOptions{"https://ttb.example"});
  accept("pr-1");
  provider_->set_handler("create_order", [&](const std::string&) {
    racing.after_next_read = [&] {
      update(R"({"order_id":"pr-1","vendor_order_id":"v-1","status":"sent"})");
    };
    std::promise<plugins::CallResult> refused;
    refused.set_value(error(CallStatus::invalid, "the answer could not be read"));
    return refused.get_future();
  });
  auto claimed = store_->claim_due_jobs({clock_.now(), 1, {}});
  ASSERT_TRUE(claimed && claimed->size() == 1u);
  JobSteps(racing, racing_orders, directory_, publisher_, options_.steps).run(claimed->at(0));

  EXPECT_EQ(get("pr-1").status, "invited");
  EXPECT_EQ(get("pr-1").vendor_order_id, "v-1");
  EXPECT_EQ(job_of("pr-1", JobKind::invite)->state, JobState::dead);
  EXPECT_EQ(job_of("pr-1", JobKind::push)->state, JobState::queued) << "the sent card, only";
  EXPECT_EQ(jobs("pr-1").size(), 2u);
}

TEST_F(JobStepsTest, RateLimitedInviteRunsAgainAtRetryAfter) {
  provider_->script("create_order", error(CallStatus::rate_limited, "429", seconds(30)));
  accept("pr-1");
  EXPECT_EQ(runner().run_due(), 1);
  auto invite = job_of("pr-1", JobKind::invite);
  EXPECT_EQ(invite->state, JobState::queued);
  EXPECT_EQ(invite->run_at, clock_.now() + seconds(30));
  EXPECT_NE(invite->last_error.find("rate_limited"), std::string::npos);
  clock_.advance(seconds(29));
  EXPECT_EQ(runner().run_due(), 0);
  clock_.advance(seconds(1));
  EXPECT_EQ(runner().run_due(), 2);
  EXPECT_EQ(get("pr-1").status, "invited");
  EXPECT_EQ(provider_->requests("create_order").size(), 2u);
  EXPECT_EQ(job_of("pr-1", JobKind::invite)->attempts, 2);
}

TEST_F(JobStepsTest, VendorRefusingTheOrderIsADeadLetterAndTheRecruiterIsTold) {
  provider_->script("create_order", error(CallStatus::invalid, "email address rejected"));
  accept("pr-1");
  runner().run_due();
  auto invite = job_of("pr-1", JobKind::invite);
  EXPECT_EQ(invite->state, JobState::dead);
  EXPECT_NE(invite->last_error.find("email address rejected"), std::string::npos);
  auto o = get("pr-1");
  EXPECT_EQ(o.status, "failed");
  EXPECT_EQ(o.failure_reason, "rejected");
  auto pushed = publisher_.accepted();
  ASSERT_EQ(pushed.size(), 1u);
  EXPECT_EQ(pushed[0].result.status, "failed");
  // The recruiter reads what to do, never the vendor's own words.
  EXPECT_EQ(pushed[0].result.summary, orders::invite_failure("invalid").summary);
  EXPECT_EQ(pushed[0].result.summary.find("email address rejected"), std::string::npos);
  EXPECT_EQ(store_->list_jobs({true, "", "", 100})->size(), 1u);
}

TEST_F(JobStepsTest, BadCredentialsFailTheOrderUntilTheOperatorReopensIt) {
  provider_->script("create_order", error(CallStatus::auth, "API key sk_live_123 rejected"));
  accept("pr-1");
  runner().run_due();
  EXPECT_EQ(job_of("pr-1", JobKind::invite)->state, JobState::dead);
  auto o = get("pr-1");
  EXPECT_EQ(o.status, "failed");
  EXPECT_EQ(o.failure_reason, "vendor_error");
  auto pushed = publisher_.accepted();
  ASSERT_EQ(pushed.size(), 1u);
  EXPECT_EQ(pushed[0].result.status, "failed");
  EXPECT_EQ(pushed[0].result.summary,
            "The vendor refused our credentials; your administrator has been told.");
  EXPECT_EQ(pushed[0].result.summary.find("sk_live_123"), std::string::npos);

  // The operator fixes the key, reopens the order and retries the dead job (what ttbridge jobs
  // retry does): the invitation goes out once, and the card moves on from failed.
  EXPECT_EQ(orders_->reopen_invitation("pr-1", false).status,
            orders::RequestResult::Status::queued);
  EXPECT_EQ(get("pr-1").status, "received");
  EXPECT_EQ(store_->timeline("pr-1")->back().event, "reopened");
  EXPECT_EQ(store_->requeue_all_dead(""), 1);
  runner().run_due();
  EXPECT_EQ(get("pr-1").status, "invited");
  EXPECT_EQ(provider_->requests("create_order").size(), 2u);
  EXPECT_EQ(publisher_.accepted().back().result.status, "sent");
}

TEST_F(JobStepsTest, RetriesRunningOutFailTheOrderAndReplayingTheInviteReopensIt) {
  options_.steps.retry.max_attempts = 1;
  provider_->script("create_order", error(CallStatus::vendor_unavailable, "503 <html>oops"));
  accept("pr-1");
  runner().run_due();
  EXPECT_EQ(get("pr-1").status, "failed");
  EXPECT_EQ(publisher_.accepted().back().result.summary,
            orders::invite_failure("vendor_unavailable").summary);

  ASSERT_EQ(orders_->replay("pr-1", JobKind::invite).status, orders::RequestResult::Status::queued);
  runner().run_due();
  EXPECT_EQ(get("pr-1").status, "invited");
  std::vector<std::string> statuses;
  for (auto& c : publisher_.accepted()) statuses.push_back(c.result.status);
  EXPECT_EQ(statuses, (std::vector<std::string>{"failed", "sending", "sent"}));
}

TEST_F(JobStepsTest, ReplayingTheInviteBeforeTheFirstHasGoneOutIsRefused) {
  // Queued beside the first invite, a replay would invite the candidate twice; run before it,
  // it would leave the first to find the order invited and skip the poll chain.
  accept("pr-1");
  auto early = orders_->replay("pr-1", JobKind::invite);
  EXPECT_EQ(early.status, orders::RequestResult::Status::not_applicable);
  EXPECT_NE(early.message.find("no invitation yet"), std::string::npos) << early.message;
  runner().run_due();
  EXPECT_EQ(get("pr-1").status, "invited");
  EXPECT_EQ(provider_->requests("create_order").size(), 1u);

  // Once invited, a replay asks the vendor again, as the operator meant.
  ASSERT_EQ(orders_->replay("pr-1", JobKind::invite).status, orders::RequestResult::Status::queued);
  runner().run_due();
  EXPECT_EQ(provider_->requests("create_order").size(), 2u);
}

TEST_F(JobStepsTest, ReplayingTheInviteOfAnOrderTheVendorEndedIsRefused) {
  accept("pr-1");
  runner().run_due();
  update(R"({"vendor_order_id":"v-1","status":"failed","failure_reason":"expired"})");
  EXPECT_EQ(orders_->replay("pr-1", JobKind::invite).status,
            orders::RequestResult::Status::not_applicable);
  EXPECT_EQ(get("pr-1").status, "failed");
}

TEST_F(JobStepsTest, UnavailableVendorIsRetriedWithBackoffUntilTheAttemptsRunOut) {
  options_.steps.retry.max_attempts = 3;
  provider_->set_handler("create_order", [](const std::string&) {
    std::promise<plugins::CallResult> p;
    p.set_value(error(CallStatus::vendor_unavailable, "503"));
    return p.get_future();
  });
  accept("pr-1");
  runner().run_due();
  EXPECT_EQ(job_of("pr-1", JobKind::invite)->run_at, clock_.now() + seconds(1));
  clock_.advance(seconds(1));
  runner().run_due();
  EXPECT_EQ(job_of("pr-1", JobKind::invite)->run_at, clock_.now() + seconds(2));
  clock_.advance(seconds(2));
  runner().run_due();
  auto invite = job_of("pr-1", JobKind::invite);
  EXPECT_EQ(invite->state, JobState::dead);
  EXPECT_NE(invite->last_error.find("gave up after 3 attempts"), std::string::npos);
  EXPECT_EQ(provider_->requests("create_order").size(), 3u);
  // The order fails as the invite dies, then the failure card is written to Teamtailor.
  std::vector<std::string> events;
  for (const auto& line : *store_->timeline("pr-1")) events.push_back(line.event);
  EXPECT_EQ(events, (std::vector<std::string>{"received", "failed", "job_dead", "pushed"}));
}

TEST_F(JobStepsTest, PushRetriedAfterTeamtailorRateLimitThenWritten) {
  publisher_.script(PublishOutcome::retry("429 Too Many Requests", seconds(10)));
  accept("pr-1");
  EXPECT_EQ(runner().run_due(), 2);
  auto push = job_of("pr-1", JobKind::push);
  EXPECT_EQ(push->state, JobState::queued);
  EXPECT_EQ(push->run_at, clock_.now() + seconds(10));
  EXPECT_NE(push->last_error.find("429"), std::string::npos);
  clock_.advance(seconds(10));
  EXPECT_EQ(runner().run_due(), 1);
  EXPECT_EQ(job_of("pr-1", JobKind::push)->state, JobState::done);
  EXPECT_EQ(publisher_.calls().size(), 2u);
  EXPECT_EQ(publisher_.accepted().size(), 1u);
}

TEST_F(JobStepsTest, PushRejectedByTeamtailorIsADeadLetter) {
  publisher_.script(PublishOutcome::reject("422: score must be an integer"));
  accept("pr-1");
  runner().run_due();
  auto push = job_of("pr-1", JobKind::push);
  EXPECT_EQ(push->state, JobState::dead);
  EXPECT_NE(push->last_error.find("422"), std::string::npos);
}

TEST_F(JobStepsTest, PushesOfOneOrderNeverOvertakeAndStaleOnesAreDropped) {
  accept("pr-1");
  EXPECT_EQ(runner().run_due(1), 1);  // only the invite: its push waits
  update(R"({"order_id":"pr-1","status":"pending"})");
  update(R"({"order_id":"pr-1","status":"completed","score":88,"summary":"Passed"})");
  // The first push fails and backs off; the later two must wait behind it.
  publisher_.script(PublishOutcome::retry("503", seconds(5)));
  EXPECT_EQ(runner().run_due(), 1);
  EXPECT_EQ(runner().run_due(), 0);
  clock_.advance(seconds(5));
  EXPECT_EQ(runner().run_due(), 3);  // the first push writes the latest result; the rest are stale

  auto accepted = publisher_.accepted();
  ASSERT_EQ(accepted.size(), 1u);
  EXPECT_EQ(accepted[0].result.status, "completed");
  EXPECT_EQ(accepted[0].result.score, 88);
  auto o = get("pr-1");
  EXPECT_EQ(o.pushed_version, o.result_version);
  for (const auto& j : jobs("pr-1")) EXPECT_EQ(j.state, JobState::done);
  // A late callback after the terminal result changes nothing and pushes nothing.
  orders_->apply_vendor_update("acme", "codility", R"({"order_id":"pr-1","status":"failed"})",
                               "callback");
  EXPECT_EQ(runner().run_due(), 0);
  EXPECT_EQ(publisher_.accepted().size(), 1u);
}

TEST_F(JobStepsTest, EachStatusReachesTeamtailorInOrderWhenPushesKeepUp) {
  accept("pr-1");
  runner().run_due();
  update(R"({"order_id":"pr-1","status":"pending"})");
  runner().run_due();
  update(R"({"order_id":"pr-1","status":"completed","score":70})");
  runner().run_due();
  std::vector<std::string> statuses;
  for (auto& c : publisher_.accepted()) statuses.push_back(c.result.status);
  EXPECT_EQ(statuses, (std::vector<std::string>{"sent", "pending", "completed"}));
}

TEST_F(JobStepsTest, MissingProviderMakesTheJobWaitWithoutFailing) {
  directory_.remove("acme", "codility");
  accept("pr-1");
  EXPECT_EQ(runner().run_due(), 1);
  auto invite = job_of("pr-1", JobKind::invite);
  EXPECT_EQ(invite->state, JobState::queued);
  EXPECT_EQ(invite->attempts, 0);
  EXPECT_NE(invite->last_error.find("not configured"), std::string::npos);
  EXPECT_EQ(get("pr-1").status, "received");
  // Waiting does not use up the attempts.
  for (int i = 0; i < 10; ++i) {
    clock_.advance(seconds(30));
    runner().run_due();
  }
  EXPECT_EQ(job_of("pr-1", JobKind::invite)->state, JobState::queued);
  directory_.add(provider_);
  clock_.advance(seconds(30));
  runner().run_due();
  EXPECT_EQ(get("pr-1").status, "invited");
}

TEST_F(JobStepsTest, PollFetchesWhileOpenAndStopsWhenFinal) {
  provider_->fetch_supported = true;
  accept("pr-1");
  runner().run_due();
  auto poll = job_of("pr-1", JobKind::poll);
  ASSERT_TRUE(poll);
  EXPECT_EQ(poll->run_at, clock_.now() + std::chrono::minutes(5));

  provider_->script("fetch_order", ok(R"({"vendor_order_id":"v-1","status":"pending"})"));
  clock_.advance(std::chrono::minutes(5));
  runner().run_due();
  EXPECT_EQ(get("pr-1").status, "in_progress");
  auto context = nlohmann::json::parse(provider_->requests("fetch_order").at(0));
  EXPECT_EQ(context["vendor_order_id"], "v-1");
  EXPECT_EQ(context["status"], "sent");

  provider_->script(
      "fetch_order",
      ok(R"({"vendor_order_id":"v-1","status":"failed","failure_reason":"expired"})"));
  clock_.advance(std::chrono::minutes(5));
  runner().run_due();
  auto o = get("pr-1");
  EXPECT_EQ(o.status, "failed");
  EXPECT_EQ(o.failure_reason, "expired");
  clock_.advance(std::chrono::minutes(5));
  runner().run_due();  // the final answer scheduled no further poll
  EXPECT_EQ(provider_->requests("fetch_order").size(), 2u);
  EXPECT_TRUE(store_->next_due_at() == std::nullopt);
}

// The queued poll of an order, if any (the regular chain keeps at most one).
std::optional<store::JobRecord> queued_poll(const std::vector<store::JobRecord>& jobs) {
  for (const auto& j : jobs) {
    if (j.kind == JobKind::poll && j.state == JobState::queued) return j;
  }
  return std::nullopt;
}

TEST_F(JobStepsTest, PollsBackOffAsTheOrderAgesUpToTheCeiling) {
  using std::chrono::hours;
  using std::chrono::minutes;
  provider_->fetch_supported = true;
  provider_->set_handler("fetch_order", [](const std::string&) {
    std::promise<plugins::CallResult> p;
    p.set_value(ok(R"({"vendor_order_id":"v-1","status":"sent"})"));
    return p.get_future();
  });
  accept("pr-1");
  const auto created = get("pr-1").created_at;
  auto age = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now() - created);
  };
  runner().run_due();  // invite: the first poll after poll_interval
  ASSERT_TRUE(queued_poll(jobs("pr-1")));
  EXPECT_EQ(queued_poll(jobs("pr-1"))->run_at, clock_.now() + minutes(5));

  clock_.advance(minutes(5));
  runner().run_due();  // a young order: every poll_interval
  ASSERT_TRUE(queued_poll(jobs("pr-1")));
  EXPECT_EQ(queued_poll(jobs("pr-1"))->run_at, clock_.now() + minutes(5));

  clock_.advance(hours(3));
  runner().run_due();  // over 3 h old: a twelfth of its age
  ASSERT_GT(age(), hours(3));
  ASSERT_TRUE(queued_poll(jobs("pr-1")));
  EXPECT_EQ(queued_poll(jobs("pr-1"))->run_at, clock_.now() + age() / kPollAgeDivisor);

  clock_.advance(hours(30));
  runner().run_due();  // a day and more: poll_interval_max
  ASSERT_TRUE(queued_poll(jobs("pr-1")));
  EXPECT_EQ(queued_poll(jobs("pr-1"))->run_at, clock_.now() + hours(1));
  EXPECT_EQ(provider_->requests("fetch_order").size(), 3u);
}

TEST(PollDelay, NeverBelowTheIntervalNorAboveTheLargerOfBoth) {
  using std::chrono::hours;
  using std::chrono::minutes;
  EXPECT_EQ(poll_delay(minutes(0), minutes(5), hours(1)), minutes(5));
  EXPECT_EQ(poll_delay(minutes(-10), minutes(5), hours(1)), minutes(5));  // clock went back
  EXPECT_EQ(poll_delay(hours(2), minutes(5), hours(1)), minutes(10));
  EXPECT_EQ(poll_delay(hours(48), minutes(5), hours(1)), hours(1));
  // An interval configured above the ceiling wins: polls are never more frequent than asked.
  EXPECT_EQ(poll_delay(minutes(0), hours(2), hours(1)), hours(2));
  EXPECT_EQ(poll_delay(hours(48), hours(2), hours(1)), hours(2));
}

TEST_F(JobStepsTest, TheAnswerThatMakesTheOrderFinalEndsThePollChain) {
  provider_->fetch_supported = true;
  accept("pr-1");
  runner().run_due();
  provider_->script("fetch_order",
                    ok(R"({"vendor_order_id":"v-1","status":"completed","score":80})"));
  clock_.advance(std::chrono::minutes(5));
  runner().run_due();
  EXPECT_EQ(get("pr-1").status, "completed");
  EXPECT_FALSE(queued_poll(jobs("pr-1")));
  EXPECT_EQ(provider_->requests("fetch_order").size(), 1u);
}

TEST_F(JobStepsTest, PollWithNoNewsLeavesNoTimelineNoise) {
  provider_->fetch_supported = true;
  accept("pr-1");
  runner().run_due();
  const auto lines = store_->timeline("pr-1")->size();
  provider_->set_handler("fetch_order", [](const std::string&) {
    std::promise<plugins::CallResult> p;
    p.set_value(ok(R"({"vendor_order_id":"v-1","status":"sent"})"));
    return p.get_future();
  });
  for (int i = 0; i < 3; ++i) {
    clock_.advance(std::chrono::minutes(5));
    runner().run_due();
  }
  EXPECT_EQ(provider_->requests("fetch_order").size(), 3u);
  EXPECT_EQ(store_->timeline("pr-1")->size(), lines);
  EXPECT_EQ(publisher_.calls().size(), 1u);
}

TEST_F(JobStepsTest, CancelGoesThroughThePluginAndReachesTheRecruiter) {
  accept("pr-1");
  runner().run_due();
  provider_->script(
      "cancel_order",
      ok(R"({"vendor_order_id":"v-1","status":"failed","failure_reason":"cancelled"})"));
  ASSERT_EQ(orders_->request_cancel("acme", "pr-1").status, orders::RequestResult::Status::queued);
  runner().run_due();
  EXPECT_EQ(provider_->requests("cancel_order").size(), 1u);
  EXPECT_EQ(get("pr-1").failure_reason, "cancelled");
  EXPECT_EQ(publisher_.accepted().back().result.status, "failed");
}

// The recruiter cancels while the invitation has not gone out (the vendor is down and the invite
// waits to retry): the vendor never heard of the order, so it is cancelled here, and the invite,
// finding it final, invites nobody.
TEST_F(JobStepsTest, CancelBeforeTheInvitationWentOutEndsTheOrderAndTheInviteInvitesNobody) {
  provider_->script("create_order", error(CallStatus::vendor_unavailable, "503"));
  accept("pr-1");
  runner().run_due();
  ASSERT_EQ(job_of("pr-1", JobKind::invite)->state, JobState::queued) << "waiting to retry";

  ASSERT_EQ(orders_->request_cancel("acme", "pr-1").status, orders::RequestResult::Status::queued);
  runner().run_due();
  EXPECT_TRUE(provider_->requests("cancel_order").empty()) << "the vendor does not know it";
  EXPECT_EQ(get("pr-1").status, "failed");
  EXPECT_EQ(get("pr-1").failure_reason, "cancelled");
  EXPECT_EQ(job_of("pr-1", JobKind::cancel)->state, JobState::done);
  const auto cards = publisher_.accepted();
  ASSERT_FALSE(cards.empty());
  EXPECT_EQ(cards.back().result.status, "failed");
  EXPECT_EQ(cards.back().result.summary, "Cancelled before the invitation was sent");

  clock_.advance(seconds(60));
  runner().run_due();
  EXPECT_EQ(provider_->requests("create_order").size(), 1u) << "only the try before the cancel";
  EXPECT_EQ(job_of("pr-1", JobKind::invite)->state, JobState::done);
  EXPECT_EQ(get("pr-1").status, "failed");
}

TEST_F(JobStepsTest, AResendQueuedBeforeTheOrderEndedDoesNotReachTheVendor) {
  provider_->actions = {"resend_invitation"};
  accept("pr-1");
  runner().run_due();
  ASSERT_EQ(orders_->request_resend("acme", "pr-1").status, orders::RequestResult::Status::queued);
  update(R"({"vendor_order_id":"v-1","status":"completed","score":90})");
  runner().run_due();
  EXPECT_TRUE(provider_->requests("run_action").empty());
  EXPECT_EQ(job_of("pr-1", JobKind::action)->state, JobState::done);
  EXPECT_EQ(get("pr-1").status, "completed");
}

using Buttons = std::vector<orders::CardAction>;
const orders::CardAction kCancel{"Cancel order", "actions/cancel-order"};
const orders::CardAction kResend{"Resend invitation", "actions/resend-invitation"};

TEST_F(JobStepsTest, AnOpenOrdersCardOffersCancelWhenThePluginCanCancel) {
  accept("pr-1");
  runner().run_due();
  auto pushed = publisher_.accepted();
  ASSERT_EQ(pushed.size(), 1u);
  ASSERT_TRUE(pushed[0].result.actions.has_value());
  EXPECT_EQ(*pushed[0].result.actions, Buttons{kCancel}) << "no resend: the plugin declares none";
}

TEST_F(JobStepsTest, ResendIsOfferedOnlyWhenThePluginDeclaresIt) {
  provider_->actions = {"resend_invitation"};
  accept("pr-1");
  runner().run_due();
  auto pushed = publisher_.accepted();
  ASSERT_EQ(pushed.size(), 1u);
  EXPECT_EQ(pushed[0].result.actions.value_or(Buttons{}), (Buttons{kResend, kCancel}));
}

TEST_F(JobStepsTest, APluginWithoutCancelOrderGetsNoCancelButton) {
  provider_->cancel_supported = false;
  accept("pr-1");
  runner().run_due();
  auto pushed = publisher_.accepted();
  ASSERT_EQ(pushed.size(), 1u);
  ASSERT_TRUE(pushed[0].result.actions.has_value());
  EXPECT_TRUE(pushed[0].result.actions->empty());
}

TEST_F(JobStepsTest, AFinishedOrdersCardHasNoButtons) {
  provider_->actions = {"resend_invitation"};
  accept("pr-1");
  runner().run_due();
  provider_->script("cancel_order", ok(R"({"status":"failed","failure_reason":"cancelled"})"));
  ASSERT_EQ(orders_->request_cancel("acme", "pr-1").status, orders::RequestResult::Status::queued);
  runner().run_due();
  const auto last = publisher_.accepted().back().result;
  EXPECT_EQ(last.status, "failed");
  ASSERT_TRUE(last.actions.has_value()) << "an explicit empty list removes the earlier buttons";
  EXPECT_TRUE(last.actions->empty());
}

TEST_F(JobStepsTest, ResendRunsThePluginAction) {
  accept("pr-1");
  runner().run_due();
  provider_->script("run_action", ok(R"({"vendor_order_id":"v-1","status":"sent"})"));
  ASSERT_EQ(orders_->request_resend("acme", "pr-1").status, orders::RequestResult::Status::queued);
  runner().run_due();
  auto request = nlohmann::json::parse(provider_->requests("run_action").at(0));
  EXPECT_EQ(request["action"], "resend_invitation");
  EXPECT_EQ(request["order"]["order_id"], "pr-1");
  EXPECT_EQ(provider_->requests("create_order").size(), 1u);
}

TEST_F(JobStepsTest, ReplayedPushWritesAgainWithoutReinviting) {
  accept("pr-1");
  runner().run_due();
  ASSERT_EQ(orders_->replay("pr-1", JobKind::push).status, orders::RequestResult::Status::queued);
  runner().run_due();
  EXPECT_EQ(publisher_.accepted().size(), 2u);
  EXPECT_EQ(provider_->requests("create_order").size(), 1u);
}

TEST_F(JobStepsTest, PluginAnsweringGarbageIsADeadLetter) {
  provider_->script("create_order", ok("{not json"));
  accept("pr-1");
  runner().run_due();
  auto invite = job_of("pr-1", JobKind::invite);
  EXPECT_EQ(invite->state, JobState::dead);
  EXPECT_NE(invite->last_error.find("unusable order update"), std::string::npos);
}

}  // namespace
}  // namespace ttb::jobs::testing
