// Several daemons on one PostgreSQL database: two Store instances (two connections each, as two
// daemons have) claim from the same jobs table. No job is handed out twice, a job whose lease
// expired is taken over by the other daemon (and the first one's late moves are fenced), one
// whose lease is renewed is not, nor one whose claimer's lease is longer than the taker's; each
// claim names its daemon; and daemons starting together migrate once.

#include <algorithm>
#include <mutex>
#include <set>
#include <thread>

#include <unistd.h>

#include "store/migrations.h"
#include "store/pg_connection.h"
#include "store/pg_store.h"
#include "store_fixture.h"

namespace ttb::store::testing {
namespace {

using std::chrono::seconds;

class PgClaimTest : public StoreFixture {
 protected:
  Backend backend() const override { return Backend::postgresql; }

  // Accepts order pr-1 through `daemon` and claims its invite there: the claim the other daemon
  // may take over. Its id is 0 when the claim failed (the test has failed then too).
  JobRecord accepted_and_claimed(Store& daemon) {
    EXPECT_TRUE(daemon.accept_order(order("pr-1", "ev-1")));
    auto claimed = daemon.claim_due_jobs({clock_.now(), 1, {}});
    EXPECT_TRUE(claimed && claimed->size() == 1u);
    return claimed && claimed->size() == 1u ? claimed->front() : JobRecord{};
  }
};

// Leases are timed by each daemon's own clock: a daemon whose clock disagrees with the
// database's says so at start (store_clock_skew), with the difference.
TEST_F(PgClaimTest, ADaemonWhoseClockDisagreesWithTheDatabasesIsTold) {
  PgConnection db(url());
  StoreOptions behind;
  behind.clock = [] { return std::chrono::system_clock::now() - seconds(45); };
  ::testing::internal::CaptureStderr();
  const std::int64_t skew = PgStore::check_clock(db, behind);
  const std::string told = ::testing::internal::GetCapturedStderr();
  EXPECT_LT(skew, -44'000);
  EXPECT_GT(skew, -46'000);
  EXPECT_NE(told.find("store_clock_skew"), std::string::npos) << told;
  EXPECT_NE(told.find("behind the database's"), std::string::npos) << told;

  StoreOptions in_sync;
  in_sync.clock = [] { return std::chrono::system_clock::now(); };
  ::testing::internal::CaptureStderr();
  EXPECT_LT(std::abs(PgStore::check_clock(db, in_sync)), 2'000);
  EXPECT_EQ(::testing::internal::GetCapturedStderr().find("store_clock_skew"), std::string::npos);
}

TEST_F(PgClaimTest, TwoDaemonsClaimingTogetherNeverClaimOneJobTwice) {
  auto a = open();
  auto b = open();
  ASSERT_TRUE(a && b);
  const int kOrders = 40;
  for (int i = 0; i < kOrders; ++i) {
    const std::string id = "pr-" + std::to_string(i);
    ASSERT_TRUE(a->accept_order(order(id, "ev-" + std::to_string(i))));
    // A second job of the same order: it must wait until the invite is finished.
    NewJob poll;
    poll.order_id = id;
    poll.tenant = "acme";
    poll.provider = "codility";
    poll.kind = JobKind::poll;
    ASSERT_TRUE(b->enqueue_job(poll));
  }

  std::mutex mutex;
  std::vector<std::int64_t> claimed_ids;
  std::set<std::string> running_orders;
  bool two_of_one_order = false;
  auto daemon = [&](Store& store) {
    int idle = 0;
    while (idle < 3) {
      auto claimed = store.claim_due_jobs({clock_.now(), 3, {}});
      ASSERT_TRUE(claimed) << claimed.error().message;
      idle = claimed->empty() ? idle + 1 : 0;
      for (const auto& job : *claimed) {
        std::lock_guard lock(mutex);
        claimed_ids.push_back(job.id);
        two_of_one_order = two_of_one_order || !running_orders.insert(job.order_id).second;
      }
      for (const auto& job : *claimed) {
        {
          std::lock_guard lock(mutex);
          running_orders.erase(job.order_id);
        }
        ASSERT_TRUE(store.finish_job(job));
      }
    }
  };
  std::thread first(daemon, std::ref(*a));
  std::thread second(daemon, std::ref(*b));
  first.join();
  second.join();

  std::vector<std::int64_t> sorted = claimed_ids;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end())
      << "a job was claimed twice";
  EXPECT_EQ(sorted.size(), static_cast<size_t>(2 * kOrders));
  EXPECT_FALSE(two_of_one_order);
  EXPECT_EQ(a->queue_stats()->queued, 0);
  EXPECT_EQ(b->queue_stats()->running, 0);
}

TEST_F(PgClaimTest, AJobWhoseLeaseExpiredIsTakenOverByTheOtherDaemon) {
  auto a = open();
  auto b = open();
  ASSERT_TRUE(a && b);
  const JobRecord stale = accepted_and_claimed(*a);
  ASSERT_NE(stale.id, 0);
  const std::int64_t id = stale.id;

  // While A's lease lasts, B gets nothing: not the job, nor another job of its order.
  NewJob poll;
  poll.order_id = "pr-1";
  poll.tenant = "acme";
  poll.provider = "codility";
  poll.kind = JobKind::poll;
  ASSERT_TRUE(b->enqueue_job(poll));
  clock_.advance(StoreOptions{}.job_lease - seconds(1));
  EXPECT_TRUE(b->claim_due_jobs({clock_.now(), 5, {}})->empty());

  // A went silent: once the lease is over, B takes the job over, the lost attempt counted.
  clock_.advance(seconds(2));
  auto taken = b->claim_due_jobs({clock_.now(), 5, {}});
  ASSERT_TRUE(taken) << taken.error().message;
  ASSERT_EQ(taken->size(), 1u);
  EXPECT_EQ(taken->at(0).id, id);
  EXPECT_EQ(taken->at(0).attempts, 2);
  EXPECT_EQ(b->get_job(id)->state, JobState::running);
  // The new lease holds the order again.
  EXPECT_TRUE(a->claim_due_jobs({clock_.now(), 5, {}})->empty());
  // A wakes up late: its claim was overtaken, so none of its moves applies (fencing).
  EXPECT_TRUE(a->finish_job(stale).failed_with(Error::Code::fenced));
  EXPECT_TRUE(a->retry_job(stale, clock_.now(), "late").failed_with(Error::Code::fenced));
  EXPECT_TRUE(a->kill_job(stale, "late").failed_with(Error::Code::fenced));
  ChangeSet late;
  late.finish_job = stale;
  auto committed = a->commit(late);
  EXPECT_TRUE(committed.failed_with(Error::Code::fenced));
  EXPECT_EQ(b->get_job(id)->state, JobState::running);
  EXPECT_EQ(b->get_job(id)->attempts, 2);
  ASSERT_TRUE(b->finish_job(taken->at(0)));
  auto next = a->claim_due_jobs({clock_.now(), 5, {}});
  ASSERT_TRUE(next);
  ASSERT_EQ(next->size(), 1u);
  EXPECT_EQ(next->at(0).kind, JobKind::poll);
}

TEST_F(PgClaimTest, ARenewedLeaseKeepsALongJobFromTheOtherDaemon) {
  auto a = open();
  auto b = open();
  ASSERT_TRUE(a && b);
  const JobRecord running = accepted_and_claimed(*a);
  ASSERT_NE(running.id, 0);

  // A's job runs past its first lease, renewed before each lease could end: B never takes it.
  for (int third = 0; third < 6; ++third) {
    clock_.advance(StoreOptions{}.job_lease / 3);
    ASSERT_EQ(*a->renew_leases({running}), 1);
    auto claimed = b->claim_due_jobs({clock_.now(), 5, {}});
    ASSERT_TRUE(claimed) << claimed.error().message;
    EXPECT_TRUE(claimed->empty()) << "taken over at third " << third;
  }
  // A stops renewing (it died): one lease later B takes the job over, and A's renewal is fenced.
  clock_.advance(StoreOptions{}.job_lease + seconds(1));
  auto taken = b->claim_due_jobs({clock_.now(), 5, {}});
  ASSERT_TRUE(taken && taken->size() == 1u);
  EXPECT_EQ(taken->at(0).attempts, 2);
  EXPECT_EQ(*a->renew_leases({running}), 0);
  EXPECT_TRUE(a->finish_job(running).failed_with(Error::Code::fenced));
  ASSERT_TRUE(b->finish_job(taken->at(0)));
}

TEST_F(PgClaimTest, AClaimNamesItsDaemonAndWhenItsLeaseEnds) {
  StoreOptions options;
  options.lease_owner = "daemon-a";
  auto a = open(options);
  ASSERT_TRUE(a);
  const JobRecord job = accepted_and_claimed(*a);
  ASSERT_NE(job.id, 0);
  EXPECT_EQ(job.lease_owner, "daemon-a");
  EXPECT_EQ(job.lease_expires_at, clock_.now() + options.job_lease);
  auto stored = a->get_job(job.id);
  EXPECT_EQ(stored->lease_owner, "daemon-a");
  EXPECT_EQ(stored->lease_expires_at, clock_.now() + options.job_lease);

  // A renewal moves the lease's end one lease past now.
  clock_.advance(seconds(10));
  ASSERT_EQ(*a->renew_leases({job}), 1);
  EXPECT_EQ(a->get_job(job.id)->lease_expires_at, clock_.now() + options.job_lease);

  // Without a name, a store's claims carry this process's "HOST:PID".
  auto unnamed = open();
  ASSERT_TRUE(unnamed);
  ASSERT_TRUE(unnamed->accept_order(order("pr-2", "ev-2")));
  auto other = unnamed->claim_due_jobs({clock_.now(), 1, {}});
  ASSERT_TRUE(other && other->size() == 1u);
  const std::string suffix = ":" + std::to_string(::getpid());
  const std::string& owner = other->front().lease_owner;
  ASSERT_GT(owner.size(), suffix.size()) << owner;
  EXPECT_EQ(owner.substr(owner.size() - suffix.size()), suffix);
}

TEST_F(PgClaimTest, ADaemonWithALongerLeaseIsNotOvertakenByOneWithAShorterLease) {
  StoreOptions long_lease;
  long_lease.job_lease = seconds(120);
  auto slow = open(long_lease);
  auto other = open();  // the default 30 s
  ASSERT_TRUE(slow && other);
  ASSERT_NE(accepted_and_claimed(*slow).id, 0);

  // Past the other daemon's own lease, the claimer's lease still holds the job.
  clock_.advance(StoreOptions{}.job_lease + seconds(1));
  auto early = other->claim_due_jobs({clock_.now(), 5, {}});
  ASSERT_TRUE(early) << early.error().message;
  EXPECT_TRUE(early->empty());
  // Once the claimer's lease ended too, the job is taken over.
  clock_.advance(long_lease.job_lease);
  auto taken = other->claim_due_jobs({clock_.now(), 5, {}});
  ASSERT_TRUE(taken && taken->size() == 1u);
  EXPECT_EQ(taken->front().attempts, 2);
  EXPECT_EQ(taken->front().lease_expires_at, clock_.now() + StoreOptions{}.job_lease);
}

TEST_F(PgClaimTest, AClaimWithoutALeaseEndHoldsForTheTakersLease) {
  auto a = open();
  auto b = open();
  ASSERT_TRUE(a && b);
  const JobRecord first = accepted_and_claimed(*a);
  ASSERT_NE(first.id, 0);
  // A daemon of a build before migration 16 claims without writing the lease's columns.
  pg_->admin().exec("UPDATE jobs SET lease_owner = NULL, lease_expires_at = NULL");
  ASSERT_FALSE(a->get_job(first.id)->lease_expires_at);

  clock_.advance(StoreOptions{}.job_lease - seconds(1));
  EXPECT_TRUE(b->claim_due_jobs({clock_.now(), 5, {}})->empty());
  clock_.advance(seconds(2));
  auto taken = b->claim_due_jobs({clock_.now(), 5, {}});
  ASSERT_TRUE(taken && taken->size() == 1u);
  EXPECT_EQ(taken->front().attempts, 2);
}

TEST_F(PgClaimTest, DaemonsStartingTogetherApplyEachMigrationOnce) {
  std::vector<std::unique_ptr<Store>> stores(4);
  std::vector<std::thread> starting;
  starting.reserve(stores.size());
  for (auto& store : stores) {
    starting.emplace_back([&] { store = open(); });
  }
  for (auto& t : starting) t.join();
  for (const auto& store : stores) EXPECT_TRUE(store);
  EXPECT_EQ(count_rows("SELECT COUNT(*) FROM schema_migrations"),
            static_cast<int>(migrations(Dialect::postgresql).size()));
  EXPECT_EQ(migrate_store(url()), migrations(Dialect::postgresql).back().version);
}

TEST_F(PgClaimTest, AServerThatDroppedIdleConnectionsIsReconnectedTo) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->accept_order(order("pr-1", "ev-1")));
  // Ends the store's connections (not those of tests running beside this one), as a server
  // restart would.
  auto ended = pg_->admin().exec(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
      PgParams().add(pg_->name()));
  // The writers and the reader, and the first statistics' watch (pg_first_statistics.h) if it has
  // connected by now: one order is far from the rows it waits for, so it still watches.
  ASSERT_GE(ended.rows(), kPgWriterConnections + 1);
  ASSERT_LE(ended.rows(), kPgWriterConnections + 2);
  // The connections were idle: the writes and reads after the loss connect again and succeed.
  auto after = store->accept_order(order("pr-2", "ev-2"));
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_TRUE(store->get_order("pr-2"));
}

}  // namespace
}  // namespace ttb::store::testing
