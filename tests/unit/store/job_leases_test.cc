// Lease renewal, on every store: renew_leases moves the claim time of each job a claim still
// holds to now, and skips a claim that no longer holds its job (the job moved on, or another
// claim took it over), so that an overtaken daemon never extends the new holder's lease.

#include "store_fixture.h"

namespace ttb::store::testing {
namespace {

using std::chrono::seconds;

class JobLeasesTest : public OpenStoreContractFixture {
 protected:
  JobRecord accepted_and_claimed(const std::string& id) {
    EXPECT_TRUE(store_->accept_order(order(id, "ev-" + id)));
    auto claimed = store_->claim_due_jobs({clock_.now(), 1, {}});
    EXPECT_TRUE(claimed && claimed->size() == 1u);
    return claimed && !claimed->empty() ? claimed->front() : JobRecord{};
  }
};

TEST_P(JobLeasesTest, RenewalMovesTheClaimTimeOfEachHeldJobToNow) {
  const JobRecord a = accepted_and_claimed("o-1");
  const JobRecord b = accepted_and_claimed("o-2");
  EXPECT_EQ(store_->get_job(a.id)->updated_at, clock_.now());
  clock_.advance(seconds(20));

  auto renewed = store_->renew_leases({a, b});
  ASSERT_TRUE(renewed) << renewed.error().message;
  EXPECT_EQ(*renewed, 2);
  for (const JobRecord& job : {a, b}) {
    const auto now = store_->get_job(job.id);
    EXPECT_EQ(now->updated_at, clock_.now());
    EXPECT_EQ(now->state, JobState::running);
    EXPECT_EQ(now->attempts, 1) << "a renewal is not a new claim";
  }
}

TEST_P(JobLeasesTest, AClaimThatNoLongerHoldsItsJobRenewsNothing) {
  const JobRecord finished = accepted_and_claimed("o-1");
  ASSERT_TRUE(store_->finish_job(finished));
  const JobRecord retried = accepted_and_claimed("o-2");
  ASSERT_TRUE(store_->retry_job(retried, clock_.now(), "vendor down"));
  // Claimed again: the first claim's token is stale, the second one's holds.
  auto again = store_->claim_due_jobs({clock_.now(), 1, {}});
  ASSERT_TRUE(again && again->size() == 1u);
  ASSERT_EQ(again->front().id, retried.id);
  const TimePoint finished_at = store_->get_job(finished.id)->updated_at;
  clock_.advance(seconds(20));

  EXPECT_EQ(*store_->renew_leases({finished, retried, JobClaim(999999, 1)}), 0);
  EXPECT_EQ(store_->get_job(finished.id)->updated_at, finished_at);
  EXPECT_EQ(store_->get_job(finished.id)->state, JobState::done);
  EXPECT_LT(store_->get_job(retried.id)->updated_at, clock_.now());
  // No claim at all (attempt 0) is not a lease either, not even of a queued job.
  NewJob poll;
  poll.order_id = "o-1";
  poll.tenant = "acme";
  poll.provider = "codility";
  poll.kind = JobKind::poll;
  const auto queued = store_->enqueue_job(poll);
  ASSERT_TRUE(queued);
  EXPECT_EQ(*store_->renew_leases({JobClaim(*queued, 0)}), 0);
  EXPECT_EQ(store_->get_job(*queued)->state, JobState::queued);

  EXPECT_EQ(*store_->renew_leases({again->front()}), 1);
  EXPECT_EQ(store_->get_job(retried.id)->updated_at, clock_.now());
  EXPECT_EQ(*store_->renew_leases({}), 0);
}

TTB_FOR_EVERY_STORE(JobLeasesTest);

}  // namespace
}  // namespace ttb::store::testing
