// Reconciliation: quiet open orders are polled through fetch_order once per period; what the
// vendor says goes through the state machine (an expired invitation ends as failed/expired and
// reaches Teamtailor); a provider that cannot fetch costs one finished job per period.

#include <nlohmann/json.hpp>

#include "jobs/reconciler.h"
#include "jobs_fixture.h"

namespace ttb::jobs::testing {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using store::JobKind;

class ReconcilerTest : public JobsFixture {
 protected:
  Reconciler reconciler() { return Reconciler(*store_, {hours(1), 100, clock_.fn()}); }

  int fetches() { return static_cast<int>(provider_->requests("fetch_order").size()); }
};

TEST_F(ReconcilerTest, QuietOrderIsPolledAndAnExpiredInvitationFails) {
  accept("pr-1");
  runner().run_due();  // invited; the fake has no fetch_order, so no poll chain either
  ASSERT_EQ(get("pr-1").status, "invited");
  EXPECT_EQ(reconciler().sweep().polls_enqueued, 0);  // news is recent

  provider_->fetch_supported = true;
  provider_->script(
      "fetch_order",
      ok(R"({"vendor_order_id":"v-1","status":"failed","failure_reason":"expired"})"));
  clock_.advance(hours(1) + minutes(1));
  auto sweep = reconciler().sweep();
  EXPECT_TRUE(sweep.error.empty()) << sweep.error;
  EXPECT_EQ(sweep.polls_enqueued, 1);
  EXPECT_EQ(reconciler().sweep().polls_enqueued, 0);  // one poll queued is enough

  runner().run_due();
  const auto order = get("pr-1");
  EXPECT_EQ(order.status, "failed");
  EXPECT_EQ(order.failure_reason, "expired");
  ASSERT_FALSE(publisher_.accepted().empty());
  EXPECT_EQ(publisher_.accepted().back().result.status, "failed");
  EXPECT_EQ(fetches(), 1);
  // A reconciliation poll is a one-off: it does not start a poll chain.
  for (const auto& job : jobs("pr-1")) {
    if (job.kind == JobKind::poll) {
      EXPECT_NE(job.state, store::JobState::queued);
    }
  }
  clock_.advance(hours(3));
  EXPECT_EQ(reconciler().sweep().polls_enqueued, 0);  // final orders are never polled
}

TEST_F(ReconcilerTest, AnOrderTheVendorHasNoNewsAboutIsPolledOncePerPeriod) {
  provider_->fetch_supported = true;
  accept("pr-1");
  runner().run_due();
  // Drop the regular poll chain, as if it had died; reconciliation is the safety net.
  for (const auto& job : jobs("pr-1")) {
    if (job.kind == JobKind::poll && job.state == store::JobState::queued) {
      ASSERT_TRUE(store_->kill_job({job.id, 0}, "test: chain lost"));
    }
  }
  provider_->set_handler("fetch_order", [](const std::string&) {
    std::promise<plugins::CallResult> p;
    p.set_value(ok(R"({"vendor_order_id":"v-1","status":"sent"})"));
    return p.get_future();
  });
  clock_.advance(hours(1) + minutes(1));
  EXPECT_EQ(reconciler().sweep().polls_enqueued, 1);
  runner().run_due();
  EXPECT_EQ(fetches(), 1);
  clock_.advance(minutes(30));
  EXPECT_EQ(reconciler().sweep().polls_enqueued, 0);
  clock_.advance(minutes(31));
  EXPECT_EQ(reconciler().sweep().polls_enqueued, 1);
  runner().run_due();
  EXPECT_EQ(fetches(), 2);
  EXPECT_EQ(get("pr-1").status, "invited");
}

TEST_F(ReconcilerTest, AProviderThatCannotFetchCostsOneFinishedJobPerPeriod) {
  accept("pr-1");
  runner().run_due();
  clock_.advance(hours(2));
  EXPECT_EQ(reconciler().sweep().polls_enqueued, 1);
  runner().run_due();
  EXPECT_EQ(fetches(), 0);
  EXPECT_EQ(reconciler().sweep().polls_enqueued, 0);
  EXPECT_TRUE(store_->next_due_at() == std::nullopt);
}

}  // namespace
}  // namespace ttb::jobs::testing
