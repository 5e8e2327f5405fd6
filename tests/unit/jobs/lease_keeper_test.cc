// The lease keeper on a real SQLite store: what it holds, what it renews, and how a renewal the
// store cannot write is reported. (The runner's use of it against another daemon on PostgreSQL:
// job_runner_test.cc, JobRunnerPgTest.)

#include <mutex>
#include <thread>

#include "jobs/lease_keeper.h"
#include "store_fixture.h"

namespace ttb::jobs::testing {
namespace {

using std::chrono::seconds;

class LeaseKeeperTest : public store::testing::StoreFixture {
 protected:
  void SetUp() override {
    store_ = open();
    ASSERT_TRUE(store_);
  }
  store::JobRecord claimed(const std::string& id) {
    EXPECT_TRUE(store_->accept_order(order(id, "ev-" + id)));
    auto jobs = store_->claim_due_jobs({clock_.now(), 1, {}});
    EXPECT_TRUE(jobs && jobs->size() == 1u);
    return jobs && !jobs->empty() ? jobs->front() : store::JobRecord{};
  }

  std::unique_ptr<store::Store> store_;
};

TEST_F(LeaseKeeperTest, RenewsEveryHeldClaimInOneWriteAndWritesNothingWithoutOne) {
  LeaseKeeper keeper(*store_, std::chrono::milliseconds(0), {});
  const auto writes_before = store_->stats().writes;
  EXPECT_EQ(*keeper.renew(), 0);
  EXPECT_EQ(store_->stats().writes, writes_before);

  const store::JobRecord a = claimed("o-1");
  const store::JobRecord b = claimed("o-2");
  keeper.hold(a);
  keeper.hold(b);
  EXPECT_EQ(keeper.held(), 2);
  clock_.advance(seconds(10));
  const auto writes = store_->stats().writes;
  EXPECT_EQ(*keeper.renew(), 2);
  EXPECT_EQ(store_->stats().writes, writes + 1);
  EXPECT_EQ(store_->get_job(a.id)->updated_at, clock_.now());
  EXPECT_EQ(store_->get_job(b.id)->updated_at, clock_.now());

  keeper.drop(a);
  clock_.advance(seconds(10));
  EXPECT_EQ(*keeper.renew(), 1);
  EXPECT_LT(store_->get_job(a.id)->updated_at, clock_.now());
}

TEST_F(LeaseKeeperTest, DroppingAnOvertakenClaimKeepsTheClaimThatTookItsPlace) {
  LeaseKeeper keeper(*store_, std::chrono::milliseconds(0), {});
  keeper.hold(store::JobClaim(7, 1));
  keeper.hold(store::JobClaim(7, 2));  // the job ran out of its lease and came back here
  keeper.drop(store::JobClaim(7, 1));  // the first run's late end
  EXPECT_EQ(keeper.held(), 1);
  keeper.drop(store::JobClaim(7, 2));
  EXPECT_EQ(keeper.held(), 0);
}

TEST_F(LeaseKeeperTest, ItsThreadRenewsAndReportsWhatTheStoreRefuses) {
  std::mutex mutex;
  std::vector<store::Error> errors;
  LeaseKeeper keeper(*store_, std::chrono::milliseconds(1), [&](const store::Error& error) {
    std::lock_guard lock(mutex);
    errors.push_back(error);
  });
  const store::JobRecord job = claimed("o-1");
  keeper.hold(job);
  keeper.start();
  clock_.advance(seconds(10));
  const auto now = clock_.now();
  const auto deadline = std::chrono::steady_clock::now() + seconds(20);
  while (store_->get_job(job.id)->updated_at != now && std::chrono::steady_clock::now() < deadline)
    std::this_thread::yield();
  EXPECT_EQ(store_->get_job(job.id)->updated_at, now);

  store_->close();
  auto reported = [&] {
    std::lock_guard lock(mutex);
    return !errors.empty();
  };
  while (!reported() && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  keeper.stop();
  ASSERT_TRUE(reported());
  EXPECT_EQ(errors.front().code, store::Error::Code::closed);
}

}  // namespace
}  // namespace ttb::jobs::testing
