// Job deaths, on every store: a plugin call in flight when its process died counts one death for
// its job, whatever the job's state; an id named twice counts twice; unknown ids are skipped; a
// job starts with none and keeps its count through claims, retries and restarts, until the
// operator retries it as a dead letter.

#include "store_fixture.h"

namespace ttb::store::testing {
namespace {

class JobDeathsTest : public OpenStoreContractFixture {
 protected:
  std::int64_t accepted_invite(const std::string& id) {
    auto accepted = store_->accept_order(order(id, "ev-" + id));
    EXPECT_TRUE(accepted);
    auto jobs = store_->list_jobs(JobFilter{});
    EXPECT_TRUE(jobs);
    for (const auto& j : *jobs)
      if (j.order_id == id) return j.id;
    ADD_FAILURE() << "no job for " << id;
    return 0;
  }
};

TEST_P(JobDeathsTest, ANewJobHasNoDeaths) {
  const auto id = accepted_invite("o-1");
  EXPECT_EQ(store_->get_job(id)->deaths, 0);
}

TEST_P(JobDeathsTest, EachNamedIdCountsOneDeathAndUnknownIdsAreSkipped) {
  const auto a = accepted_invite("o-1");
  const auto b = accepted_invite("o-2");
  auto counted = store_->count_job_deaths({a, b, a, 999999});
  ASSERT_TRUE(counted) << counted.error().message;
  EXPECT_EQ(*counted, 3);
  EXPECT_EQ(store_->get_job(a)->deaths, 2);
  EXPECT_EQ(store_->get_job(b)->deaths, 1);
  EXPECT_EQ(*store_->count_job_deaths({}), 0);
}

// A running job's updated_at is its claim's time, which times its lease on PostgreSQL: a death
// counted late, for a run another daemon has taken over since, must not lengthen that lease.
TEST_P(JobDeathsTest, ACountedDeathLeavesTheClaimsTimeAsItWas) {
  const auto id = accepted_invite("o-1");
  auto claimed = store_->claim_due_jobs({clock_.now(), 1, {}});
  ASSERT_TRUE(claimed && claimed->size() == 1u);
  const TimePoint claimed_at = store_->get_job(id)->updated_at;
  clock_.advance(std::chrono::seconds(20));
  ASSERT_TRUE(store_->count_job_deaths({id}));
  EXPECT_EQ(store_->get_job(id)->updated_at, claimed_at);
  EXPECT_EQ(store_->get_job(id)->deaths, 1);
}

TEST_P(JobDeathsTest, DeathsSurviveClaimRetryAndReopen) {
  const auto id = accepted_invite("o-1");
  auto claimed = store_->claim_due_jobs({clock_.now(), 1, {}});
  ASSERT_TRUE(claimed);
  ASSERT_EQ(claimed->size(), 1u);
  ASSERT_TRUE(store_->count_job_deaths({id}));
  ASSERT_TRUE(store_->retry_job(claimed->front(), clock_.now(), "plugin answered crashed"));
  auto again = store_->claim_due_jobs({clock_.now(), 1, {}});
  ASSERT_TRUE(again);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ(again->front().deaths, 1) << "the claim hands the count to the runner";
  store_->close();
  store_.reset();
  store_ = open();
  ASSERT_TRUE(store_);
  EXPECT_EQ(store_->get_job(id)->deaths, 1);
}

TEST_P(JobDeathsTest, ARetriedDeadLetterStartsWithoutDeaths) {
  const auto id = accepted_invite("o-1");
  ASSERT_TRUE(store_->count_job_deaths({id, id}));
  ASSERT_TRUE(store_->kill_job(JobClaim(id, 0), "the plugin's process died twice"));
  EXPECT_EQ(*store_->requeue_dead(id), 1);
  EXPECT_EQ(store_->get_job(id)->deaths, 0);
  ASSERT_TRUE(store_->count_job_deaths({id, id}));
  ASSERT_TRUE(store_->kill_job(JobClaim(id, 0), "again"));
  EXPECT_EQ(*store_->requeue_all_dead(""), 1);
  EXPECT_EQ(store_->get_job(id)->deaths, 0);
}

}  // namespace

TTB_FOR_EVERY_STORE(JobDeathsTest);

}  // namespace ttb::store::testing
