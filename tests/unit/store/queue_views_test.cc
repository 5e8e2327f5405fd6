// The queue views for per-tenant limits and reconciliation: claims that skip tenants/providers at
// their limit inside the query (so a backlog cannot hide other tenants' jobs), per-provider queue
// counts for metrics, and the quiet open orders the reconciler polls.

#include "store_fixture.h"

namespace ttb::store::testing {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

class QueueViewsTest : public OpenStoreContractFixture {
 protected:
  void accept(const std::string& id, const std::string& tenant = "acme",
              const std::string& provider = "codility") {
    ASSERT_EQ(store_->accept_order(order(id, "ev-" + id, tenant, provider))->outcome,
              Accepted::Outcome::created);
  }
  void set_status(const std::string& id, const std::string& status) {
    auto o = store_->get_order(id);
    ASSERT_TRUE(o);
    ChangeSet changes;
    OrderChange change;
    change.order_id = id;
    change.expected_version = o->version;
    change.status = status;
    changes.orders.push_back(change);
    ASSERT_TRUE(store_->commit(changes));
  }
  void finish_all_due() {
    auto due = store_->claim_due_jobs({clock_.now(), 1000, {}});
    ASSERT_TRUE(due);
    for (auto& job : *due) ASSERT_TRUE(store_->finish_job(job));
  }
};

TEST_P(QueueViewsTest, ABacklogOfOneTenantDoesNotHideAnotherTenantsJob) {
  for (int i = 0; i < 40; ++i) accept("big-" + std::to_string(i), "bigco");
  clock_.advance(minutes(1));
  accept("small-1", "smallco");

  // Admission alone cannot help: the oldest due jobs are all bigco's, and only a window of
  // them is looked at.
  auto refused = store_->claim_due_jobs(
      {clock_.now(), 1, [](const std::string& t, const std::string&) { return t != "bigco"; }});
  EXPECT_TRUE(refused->empty());

  ClaimRequest request(clock_.now(), 1);
  request.skip_tenants = {"bigco"};
  auto claimed = store_->claim_due_jobs(request);
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ((*claimed)[0].tenant, "smallco");

  ClaimRequest by_provider(clock_.now(), 5);
  by_provider.skip_providers = {"bigco/codility"};
  EXPECT_TRUE(store_->claim_due_jobs(by_provider)->empty());  // smallco's only job is running
}

TEST_P(QueueViewsTest, SkippedTenantsAndProvidersCombine) {
  accept("b1", "bigco", "codility");
  accept("m1", "midco", "checkr");
  accept("m2", "midco", "codility");
  accept("s1", "smallco", "codility");

  ClaimRequest request(clock_.now(), 5);
  request.skip_tenants = {"bigco"};
  request.skip_providers = {"midco/codility"};
  auto claimed = store_->claim_due_jobs(request);
  ASSERT_EQ(claimed->size(), 2u);
  EXPECT_EQ((*claimed)[0].order_id, "m1");
  EXPECT_EQ((*claimed)[1].order_id, "s1");
}

// Admission takes a slot of the tenant's limit (jobs/job_limits.h), so it must be asked only for
// the jobs the claim then takes: never for a candidate past a full claim.
TEST_P(QueueViewsTest, AdmissionIsAskedOnlyUntilTheClaimIsFull) {
  for (int i = 0; i < 6; ++i) accept("o" + std::to_string(i));
  std::vector<std::string> asked;
  auto admit = [&asked](const std::string& tenant, const std::string&) {
    asked.push_back(tenant);
    return true;
  };
  auto claimed = store_->claim_due_jobs({clock_.now(), 2, admit});
  ASSERT_EQ(claimed->size(), 2u);
  EXPECT_EQ(asked.size(), 2u);
  EXPECT_EQ((*claimed)[0].order_id, "o0");
  EXPECT_EQ((*claimed)[1].order_id, "o1");
}

TEST_P(QueueViewsTest, QueueByProviderCountsWhatWaitsRunsAndDied) {
  accept("a1", "acme", "codility");
  accept("a3", "acme", "checkr");
  clock_.advance(minutes(1));
  const TimePoint later = clock_.now();
  accept("a2", "acme", "codility");
  auto running = store_->claim_due_jobs({clock_.now(), 1, {}});
  ASSERT_EQ(running->size(), 1u);
  EXPECT_EQ((*running)[0].order_id, "a1");
  auto dead = store_->claim_due_jobs({clock_.now(), 1, {}});
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_EQ((*dead)[0].order_id, "a3");
  ASSERT_TRUE(store_->kill_job((*dead)[0], "gave up"));

  auto queues = store_->queue_by_provider();
  ASSERT_EQ(queues->size(), 2u);
  EXPECT_EQ((*queues)[0].provider, "checkr");
  EXPECT_EQ((*queues)[0].queued, 0);
  EXPECT_EQ((*queues)[0].dead, 1);
  EXPECT_FALSE((*queues)[0].oldest_queued_run_at);
  EXPECT_EQ((*queues)[1].provider, "codility");
  EXPECT_EQ((*queues)[1].running, 1);
  EXPECT_EQ((*queues)[1].queued, 1);
  ASSERT_TRUE((*queues)[1].oldest_queued_run_at);
  EXPECT_EQ(*(*queues)[1].oldest_queued_run_at, later);
}

TEST_P(QueueViewsTest, QuietOrdersAreOpenOrdersWithoutNewsOrARecentPoll) {
  accept("received");  // not invited yet: nothing to ask the vendor
  accept("invited");
  accept("progress");
  accept("completed");
  set_status("invited", "invited");
  set_status("progress", "in_progress");
  set_status("completed", "completed");
  accept("fresh");
  finish_all_due();
  clock_.advance(hours(2));
  set_status("fresh", "invited");  // news just now

  auto quiet = store_->quiet_orders(clock_.now() - hours(1), 100);
  ASSERT_EQ(quiet->size(), 2u);
  EXPECT_EQ((*quiet)[0].id, "invited");
  EXPECT_EQ((*quiet)[1].id, "progress");

  // A queued poll covers an order; so does a poll that ran within the period.
  NewJob poll;
  poll.order_id = "invited";
  poll.tenant = "acme";
  poll.provider = "codility";
  poll.kind = JobKind::poll;
  ASSERT_TRUE(store_->enqueue_job(poll));
  quiet = store_->quiet_orders(clock_.now() - hours(1), 100);
  ASSERT_EQ(quiet->size(), 1u);
  EXPECT_EQ((*quiet)[0].id, "progress");
  finish_all_due();
  EXPECT_EQ(store_->quiet_orders(clock_.now() - hours(1), 100)->size(), 1u);
  clock_.advance(hours(1) + minutes(1));
  EXPECT_EQ(store_->quiet_orders(clock_.now() - hours(1), 100)->size(), 3u);  // fresh is quiet too
}

}  // namespace
}  // namespace ttb::store::testing

namespace ttb::store::testing {
namespace {

TEST_P(QueueViewsTest, WakingWaitingJobsMakesOnlyThoseDueNow) {
  accept("waiting");
  accept("retrying");
  auto claimed = store_->claim_due_jobs({clock_.now(), 10, {}});
  ASSERT_EQ(claimed->size(), 2u);
  for (const auto& job : *claimed) {
    if (job.order_id == "waiting") {
      ASSERT_TRUE(store_->wait_for_provider(job, clock_.now() + minutes(5), "acme/codility"));
    } else {
      ASSERT_TRUE(store_->retry_job(job, clock_.now() + minutes(5), "vendor 503"));
    }
  }
  EXPECT_EQ(store_->wake_jobs_waiting_for_provider(), 1);
  auto due = store_->claim_due_jobs({clock_.now(), 10, {}});
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].order_id, "waiting");
}

TTB_FOR_EVERY_STORE(QueueViewsTest);

}  // namespace
}  // namespace ttb::store::testing
