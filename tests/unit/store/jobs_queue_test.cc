// The durable job queue: claim, retry, defer, kill, requeue, ordering, and crash recovery.

#include "store_fixture.h"

namespace ttb::store::testing {
namespace {

using std::chrono::seconds;

class JobsQueueTest : public OpenStoreContractFixture {
 protected:
  void SetUp() override {
    OpenStoreContractFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(store_->accept_order(order("pr-1", "ev-1")));
    invite_id_ = store_->list_jobs({})->at(0).id;
  }
  std::vector<JobRecord> claim(int limit = 10) {
    auto claimed = store_->claim_due_jobs({clock_.now(), limit, {}});
    EXPECT_TRUE(claimed) << claimed.error().message;
    return claimed ? *claimed : std::vector<JobRecord>{};
  }
  std::int64_t enqueue(JobKind kind, const std::string& order_id = "pr-1",
                       std::optional<TimePoint> run_at = std::nullopt) {
    NewJob j;
    j.order_id = order_id;
    j.tenant = "acme";
    j.provider = "codility";
    j.kind = kind;
    j.run_at = run_at;
    return *store_->enqueue_job(j);
  }

  std::int64_t invite_id_ = 0;
};

TEST_P(JobsQueueTest, ClaimMarksRunningAndCountsAttempt) {
  auto jobs = claim();
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].id, invite_id_);
  EXPECT_EQ(jobs[0].state, JobState::running);
  EXPECT_EQ(jobs[0].attempts, 1);
  EXPECT_EQ(store_->get_job(invite_id_)->state, JobState::running);
  EXPECT_TRUE(claim().empty());  // running jobs are not claimed twice
}

TEST_P(JobsQueueTest, RetryRunsAgainOnlyWhenDue) {
  const auto held = claim();
  ASSERT_EQ(held.size(), 1u);
  ASSERT_TRUE(store_->retry_job(held[0], clock_.now() + seconds(30), "vendor 503"));
  auto job = store_->get_job(invite_id_);
  EXPECT_EQ(job->state, JobState::queued);
  EXPECT_EQ(job->last_error, "vendor 503");
  EXPECT_EQ(store_->next_due_at(), clock_.now() + seconds(30));
  EXPECT_TRUE(claim().empty());
  clock_.advance(seconds(30));
  auto again = claim();
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].attempts, 2);
}

TEST_P(JobsQueueTest, NextDueIsTheEarliestQueuedJobOfAnyKind) {
  ASSERT_EQ(claim().size(), 1u);  // the invite: running jobs do not count
  ASSERT_TRUE(store_->next_due_at());
  EXPECT_FALSE(*store_->next_due_at());
  ASSERT_TRUE(store_->accept_order(order("pr-2", "ev-2")));
  const auto invite_at = clock_.now();
  enqueue(JobKind::push, "pr-1", clock_.now() - seconds(5));
  EXPECT_EQ(store_->next_due_at(), clock_.now() - seconds(5));  // the push
  enqueue(JobKind::poll, "pr-1", clock_.now() - seconds(9));
  EXPECT_EQ(store_->next_due_at(), clock_.now() - seconds(9));  // vendor work
  EXPECT_LE(**store_->next_due_at(), invite_at);
}

TEST_P(JobsQueueTest, DeferDoesNotCountTheAttempt) {
  const auto held = claim();
  ASSERT_EQ(held.size(), 1u);
  ASSERT_TRUE(store_->defer_job(held[0], clock_.now(), "provider not configured"));
  auto job = store_->get_job(invite_id_);
  EXPECT_EQ(job->attempts, 0);
  EXPECT_EQ(job->last_error, "provider not configured");
  EXPECT_EQ(claim()[0].attempts, 1);
}

TEST_P(JobsQueueTest, KilledJobIsDeadLetterUntilRequeued) {
  const auto held = claim();
  ASSERT_EQ(held.size(), 1u);
  ASSERT_TRUE(store_->kill_job(held[0], "vendor said 400: bad email"));
  auto dead = store_->list_jobs({true, "", "", 100});
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_EQ(dead->at(0).last_error, "vendor said 400: bad email");
  EXPECT_TRUE(claim().empty());
  EXPECT_EQ(store_->queue_stats()->dead, 1);

  EXPECT_EQ(store_->requeue_dead(invite_id_), 1);
  EXPECT_EQ(store_->requeue_dead(invite_id_), 0);  // only dead jobs
  auto job = claim();
  ASSERT_EQ(job.size(), 1u);
  EXPECT_EQ(job[0].attempts, 1);  // a fresh budget
}

TEST_P(JobsQueueTest, RequeueAllDeadIsScopedToTenant) {
  ASSERT_TRUE(store_->accept_order(order("pr-b", "ev-b", "beta")));
  for (auto& j : claim()) ASSERT_TRUE(store_->kill_job(j, "x"));
  EXPECT_EQ(store_->list_jobs({true, "beta", "", 100})->size(), 1u);
  EXPECT_EQ(store_->requeue_all_dead("beta"), 1);
  EXPECT_EQ(store_->list_jobs({true, "", "", 100})->size(), 1u);
  EXPECT_EQ(store_->requeue_all_dead(""), 1);
  EXPECT_TRUE(store_->list_jobs({true, "", "", 100})->empty());
}

TEST_P(JobsQueueTest, JobsOfOneOrderNeverRunTogether) {
  const auto poll = enqueue(JobKind::poll);
  auto first = claim();
  ASSERT_EQ(first.size(), 1u);  // invite and poll are both due; only one of the order runs
  EXPECT_EQ(first[0].id, invite_id_);
  EXPECT_TRUE(claim().empty());
  ASSERT_TRUE(store_->finish_job(first[0]));
  auto second = claim();
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].id, poll);
}

TEST_P(JobsQueueTest, PushesOfOneOrderAreClaimedInEnqueueOrder) {
  ASSERT_TRUE(store_->finish_job(claim()[0]));
  const auto p1 = enqueue(JobKind::push, "pr-1", clock_.now() + seconds(60));  // backing off
  const auto p2 = enqueue(JobKind::push);
  // p2 is due, but an earlier push of the order is still waiting: p2 may not overtake it.
  EXPECT_TRUE(claim().empty());
  clock_.advance(seconds(60));
  auto got = claim();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].id, p1);
  ASSERT_TRUE(store_->finish_job(got[0]));
  got = claim();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].id, p2);
}

TEST_P(JobsQueueTest, DifferentOrdersRunInParallel) {
  ASSERT_TRUE(store_->accept_order(order("pr-2", "ev-2")));
  ASSERT_TRUE(store_->accept_order(order("pr-3", "ev-3")));
  EXPECT_EQ(claim().size(), 3u);
  EXPECT_EQ(store_->queue_stats()->running, 3);
}

TEST_P(JobsQueueTest, ClaimHonoursLimitAndAdmission) {
  ASSERT_TRUE(store_->accept_order(order("pr-b", "ev-b", "beta")));
  ASSERT_TRUE(store_->accept_order(order("pr-c", "ev-c", "gamma")));
  EXPECT_EQ(store_->claim_due_jobs({clock_.now(), 1, {}})->size(), 1u);
  auto only_beta =
      store_->claim_due_jobs({clock_.now(), 10, [](const std::string& tenant, const std::string&) {
                                return tenant == "beta";
                              }});
  ASSERT_EQ(only_beta->size(), 1u);
  EXPECT_EQ(only_beta->at(0).tenant, "beta");
}

TEST_P(JobsQueueTest, ClaimTakesOnlyTheKindsItAsksFor) {
  // Teamtailor writes and vendor work have budgets of their own: each claims only its kind,
  // however many jobs of the other kind are due before it.
  ASSERT_TRUE(store_->finish_job(claim()[0]));
  for (int k = 0; k < 40; ++k) {
    const std::string id = "pr-v" + std::to_string(k);
    ASSERT_TRUE(store_->accept_order(order(id, "ev-v" + std::to_string(k))));
  }
  const auto push = enqueue(JobKind::push);  // due after the 40 invites
  ClaimRequest pushes(clock_.now(), 10);
  pushes.kinds = ClaimRequest::Kinds::pushes;
  auto got = store_->claim_due_jobs(pushes);
  ASSERT_TRUE(got) << got.error().message;
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ(got->at(0).id, push);
  ClaimRequest vendor(clock_.now(), 100);
  vendor.kinds = ClaimRequest::Kinds::vendor_work;
  ASSERT_TRUE(store_->finish_job(got->at(0)));
  enqueue(JobKind::push, "pr-v0");
  got = store_->claim_due_jobs(vendor);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->size(), 40u);
  for (const auto& job : *got) EXPECT_EQ(job.kind, JobKind::invite);
}

TEST_P(JobsQueueTest, RunningJobsOfACrashedProcessRunAgain) {
  claim();
  store_.reset();  // the process "dies" with the job running
  clock_.advance(seconds(5));
  auto store = open();
  auto job = store->get_job(invite_id_);
  if (backend() == Backend::sqlite) {
    // One process owns the file: what runs at open is the dead process's; back to the queue.
    EXPECT_EQ(job->state, JobState::queued);
    EXPECT_EQ(job->attempts, 1);  // the interrupted attempt counts
    EXPECT_NE(job->last_error.find("interrupted"), std::string::npos);
    EXPECT_EQ(store->claim_due_jobs({clock_.now(), 10, {}})->size(), 1u);
    return;
  }
  // PostgreSQL: another daemon may be running it, so it waits for its lease to expire.
  EXPECT_EQ(job->state, JobState::running);
  EXPECT_TRUE(store->claim_due_jobs({clock_.now(), 10, {}})->empty());
  clock_.advance(StoreOptions{}.job_lease);
  auto again = store->claim_due_jobs({clock_.now(), 10, {}});
  ASSERT_TRUE(again);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ(again->at(0).attempts, 2);  // the interrupted attempt counts
}

TEST_P(JobsQueueTest, ListenerHearsAboutNewJobs) {
  std::atomic<int> calls{0};
  store_->set_jobs_listener([&](const JobsDue&) { ++calls; });
  enqueue(JobKind::poll);
  EXPECT_GE(calls.load(), 1);
  const int before = calls.load();
  ASSERT_TRUE(store_->get_order("pr-1"));
  EXPECT_EQ(calls.load(), before);
}

TEST_P(JobsQueueTest, FinishInChangeSetCompletesTheJob) {
  auto job = claim()[0];
  ChangeSet cs;
  cs.finish_job = job;
  cs.orders.push_back(status_change("pr-1", 1, "invited"));
  ASSERT_TRUE(store_->commit(cs));
  EXPECT_EQ(store_->get_job(job.id)->state, JobState::done);
  EXPECT_EQ(store_->get_order("pr-1")->status, "invited");
}

TTB_FOR_EVERY_STORE(JobsQueueTest);

}  // namespace
}  // namespace ttb::store::testing
