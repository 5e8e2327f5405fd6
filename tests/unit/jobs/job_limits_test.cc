// Isolation: per-tenant and per-provider concurrency caps and the per-provider rate, alone (a
// manual steady clock) and through the runner (a slow vendor or a tenant's burst leaves room for
// the others).

#include <set>
#include <thread>

#include "jobs/job_limits.h"
#include "jobs_fixture.h"

namespace ttb::jobs::testing {
namespace {

using std::chrono::milliseconds;

TEST(JobLimitsTest, CapsRunningJobsPerTenantAndPerProvider) {
  JobLimits limits({3, 2, 0, {}});
  EXPECT_TRUE(limits.try_acquire("acme", "checkr"));
  EXPECT_TRUE(limits.try_acquire("acme", "checkr"));
  EXPECT_FALSE(limits.try_acquire("acme", "checkr"));  // provider cap
  EXPECT_EQ(limits.full_providers(), std::vector<std::string>{"acme/checkr"});
  EXPECT_TRUE(limits.full_tenants().empty());
  EXPECT_TRUE(limits.try_acquire("acme", "hackerrank"));
  EXPECT_FALSE(limits.try_acquire("acme", "codility"));  // tenant cap
  EXPECT_EQ(limits.full_tenants(), std::vector<std::string>{"acme"});
  EXPECT_TRUE(limits.try_acquire("globex", "checkr"));  // other tenants are not affected

  limits.release("acme", "checkr");
  EXPECT_EQ(limits.running("acme"), 2);
  EXPECT_EQ(limits.running("acme", "checkr"), 1);
  EXPECT_TRUE(limits.full_tenants().empty());
  EXPECT_TRUE(limits.try_acquire("acme", "codility"));
}

TEST(JobLimitsTest, AReleaseSaysWhetherItGaveRoomToAFullTenantOrProvider) {
  JobLimits limits({2, 2, 0, {}});
  ASSERT_TRUE(limits.try_acquire("acme", "checkr"));
  EXPECT_FALSE(limits.release("acme", "checkr")) << "one of two running: nothing was full";
  JobLimits tenant_cap({2, 0, 0, {}});
  ASSERT_TRUE(tenant_cap.try_acquire("acme", "checkr"));
  ASSERT_TRUE(tenant_cap.try_acquire("acme", "codility"));
  EXPECT_TRUE(tenant_cap.release("acme", "checkr"));
  JobLimits provider_cap({0, 1, 0, {}});
  ASSERT_TRUE(provider_cap.try_acquire("acme", "checkr"));
  EXPECT_TRUE(provider_cap.release("acme", "checkr"));
  JobLimits unlimited({0, 0, 0, {}});
  ASSERT_TRUE(unlimited.try_acquire("acme", "checkr"));
  EXPECT_FALSE(unlimited.release("acme", "checkr"));
}

TEST(JobLimitsTest, AnEndingJobsSlotCountsAsFreeForTheClaimRidingOnIt) {
  JobLimits limits({2, 1, 0, {}});
  ASSERT_TRUE(limits.try_acquire("acme", "checkr"));
  ASSERT_TRUE(limits.try_acquire("acme", "codility"));
  EXPECT_EQ(limits.full_tenants(), std::vector<std::string>{"acme"});
  const JobLimits::Slot ending{"acme", "checkr"};
  EXPECT_TRUE(limits.full_tenants(&ending).empty());
  EXPECT_EQ(limits.full_providers(&ending), std::vector<std::string>{"acme/codility"});
  const JobLimits::Slot other{"globex", "checkr"};
  EXPECT_EQ(limits.full_tenants(&other), std::vector<std::string>{"acme"});
  EXPECT_EQ(limits.full_providers(&other).size(), 2u);
  EXPECT_EQ(limits.running("acme"), 2);  // only a view: nothing was released
}

TEST(JobLimitsTest, ProviderRateRefillsWithTime) {
  auto now = std::chrono::steady_clock::time_point(std::chrono::hours(1));
  JobLimits limits({0, 0, 4, [&now] { return now; }});
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(limits.try_acquire("acme", "checkr")) << i;
  EXPECT_FALSE(limits.try_acquire("acme", "checkr"));
  EXPECT_TRUE(limits.try_acquire("acme", "hackerrank"));  // each provider has its own bucket
  EXPECT_EQ(limits.full_providers(), std::vector<std::string>{"acme/checkr"});
  EXPECT_EQ(limits.next_token_in(), milliseconds(250));
  now += milliseconds(250);
  EXPECT_TRUE(limits.try_acquire("acme", "checkr"));
  EXPECT_FALSE(limits.try_acquire("acme", "checkr"));
  now += std::chrono::seconds(10);  // the bucket holds one second's worth, not ten
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(limits.try_acquire("acme", "checkr")) << i;
  EXPECT_FALSE(limits.try_acquire("acme", "checkr"));
}

// A job admitted and then not started (the claim passed it by) gives back its slot and its token:
// the provider's pace counts only the jobs it started.
TEST(JobLimitsTest, AGivenBackAdmissionReturnsItsSlotAndItsRateToken) {
  const auto now = std::chrono::steady_clock::time_point(std::chrono::hours(1));
  JobLimits limits({0, 1, 2, [now] { return now; }});
  ASSERT_TRUE(limits.try_acquire("acme", "checkr"));
  limits.give_back("acme", "checkr");
  EXPECT_EQ(limits.running("acme", "checkr"), 0);
  ASSERT_TRUE(limits.try_acquire("acme", "checkr"));
  limits.release("acme", "checkr");  // a job that ran: its token stays spent
  ASSERT_TRUE(limits.try_acquire("acme", "checkr"));
  limits.release("acme", "checkr");
  EXPECT_FALSE(limits.try_acquire("acme", "checkr")) << "two starts, two tokens";
}

template <class Pred>
bool eventually(Pred pred, std::chrono::seconds limit = std::chrono::seconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::yield();
  }
  return pred();
}

class IsolationTest : public JobsFixture {
 protected:
  void SetUp() override {
    JobsFixture::SetUp();
    slow_ = std::make_shared<FakeProvider>("acme", "slowvendor");
    // The slow vendor answers only when the test lets it.
    slow_->set_handler("create_order", [this](const std::string&) {
      std::lock_guard lock(gate_mutex_);
      gates_.emplace_back();
      return gates_.back().get_future();
    });
    directory_.add(slow_);
    directory_.add(std::make_shared<FakeProvider>("globex", "codility"));
  }
  void TearDown() override {
    {
      std::lock_guard lock(gate_mutex_);
      for (auto& g : gates_) g.set_value(ok(R"({"vendor_order_id":"v-9","status":"sent"})"));
      gates_.clear();
    }
    JobsFixture::TearDown();
  }
  size_t held() {
    std::lock_guard lock(gate_mutex_);
    return gates_.size();
  }
  void accept_for(const std::string& id, const std::string& tenant, const std::string& provider) {
    auto o = order(id, "ev-" + id, tenant, provider);
    o.callback_url.clear();
    ASSERT_EQ(orders_->accept(o)->outcome, store::Accepted::Outcome::created);
  }

  std::shared_ptr<FakeProvider> slow_;
  std::mutex gate_mutex_;
  std::deque<std::promise<plugins::CallResult>> gates_;
};

TEST_F(IsolationTest, ASlowVendorHoldsOnlyItsShareOfTheWorkers) {
  options_.workers = 4;
  options_.limits = std::make_shared<JobLimits>(LimitOptions{0, 2, 0, {}});
  for (int i = 0; i < 30; ++i) accept_for("slow-" + std::to_string(i), "acme", "slowvendor");
  runner().start();
  ASSERT_TRUE(eventually([&] { return held() == 2; }));

  // The other vendors' orders, enqueued behind the slow backlog, are still served.
  accept_for("fast-1", "acme", "codility");
  accept_for("fast-2", "globex", "codility");
  EXPECT_TRUE(eventually([&] { return publisher_.accepted().size() == 2; }));
  EXPECT_EQ(held(), 2u);
  EXPECT_EQ(options_.limits->running("acme", "slowvendor"), 2);
}

TEST_F(IsolationTest, ATenantsBurstLeavesWorkersForTheOthers) {
  options_.workers = 4;
  options_.limits = std::make_shared<JobLimits>(LimitOptions{3, 0, 0, {}});
  for (int i = 0; i < 30; ++i) accept_for("burst-" + std::to_string(i), "acme", "slowvendor");
  runner().start();
  ASSERT_TRUE(eventually([&] { return held() == 3; }));
  accept_for("other-1", "globex", "codility");
  EXPECT_TRUE(eventually([&] { return publisher_.accepted().size() == 1; }));
  EXPECT_EQ(publisher_.accepted()[0].order_id, "other-1");
  EXPECT_EQ(held(), 3u);
}

}  // namespace
}  // namespace ttb::jobs::testing
