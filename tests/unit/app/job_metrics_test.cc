// The job metrics: outcomes counted per kind, and queue gauges per tenant and provider that
// show jobs waiting for a removed provider and fall back to 0 once a queue empties.

#include "app/job_metrics.h"

#include <sstream>
#include <string>

#include "store_fixture.h"

namespace ttb::app {
namespace {

using store::testing::StoreFixture;

// The value of the sample line that starts with `name{` and contains every label, or "".
std::string sample(const std::string& text, const std::string& name,
                   std::initializer_list<std::string> labels) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(name + "{", 0) != 0 && line.rfind(name + " ", 0) != 0) continue;
    bool all = true;
    for (const auto& label : labels) all = all && line.find(label) != std::string::npos;
    if (all) return line.substr(line.rfind(' ') + 1);
  }
  return "";
}

class JobMetricsTest : public StoreFixture {
 protected:
  void SetUp() override { store_ = open(); }

  void refresh(bool configured) {
    job_metrics_.refresh_queues(
        *store_, [configured](const std::string&, const std::string&) { return configured; });
  }

  ops::Metrics metrics_;  // the registry rendered below
  JobMetrics job_metrics_{metrics_};
  std::unique_ptr<store::Store> store_;
};

TEST_F(JobMetricsTest, QueueGaugesShowWaitingJobsAndReadZeroOnceTheQueueEmpties) {
  ASSERT_EQ(store_->accept_order(order("pr-1", "ev-1"))->outcome,
            store::Accepted::Outcome::created);  // queues its invite job
  const std::string tenant = "tenant=\"acme\"";
  const std::string provider = "provider=\"codility\"";

  refresh(false);
  std::string text = metrics_.render();
  EXPECT_EQ(sample(text, "ttbridge_jobs_queued", {tenant, provider}), "1");
  EXPECT_EQ(sample(text, "ttbridge_jobs_waiting_for_provider", {tenant, provider}), "1");

  refresh(true);
  text = metrics_.render();
  EXPECT_EQ(sample(text, "ttbridge_jobs_waiting_for_provider", {tenant, provider}), "0");

  auto claimed = store_->claim_due_jobs({clock_.now(), 10, {}});
  ASSERT_EQ(claimed->size(), 1u);
  ASSERT_TRUE(store_->finish_job(claimed->at(0)));
  refresh(true);
  text = metrics_.render();
  EXPECT_EQ(sample(text, "ttbridge_jobs_queued", {tenant, provider}), "0");
  EXPECT_EQ(sample(text, "ttbridge_jobs_running", {tenant, provider}), "0");
}

TEST_F(JobMetricsTest, JobOutcomesAreCountedByKindAndRetriesAndDeadLettersByProvider) {
  store::JobRecord job;
  job.id = 7;
  job.tenant = "acme";
  job.provider = "codility";
  job.kind = store::JobKind::push;
  job_metrics_.on_job_event({job, jobs::JobEvent::Outcome::retry, "429", {}});
  job_metrics_.on_job_event({job, jobs::JobEvent::Outcome::retry, "429", {}});
  job_metrics_.on_job_event({job, jobs::JobEvent::Outcome::dead, "422", {}});
  job_metrics_.count_reconcile_polls(3);
  const std::string text = metrics_.render();
  EXPECT_EQ(sample(text, "ttbridge_jobs_total", {"kind=\"push\"", "outcome=\"retry\""}), "2");
  EXPECT_EQ(sample(text, "ttbridge_jobs_total", {"kind=\"push\"", "outcome=\"dead\""}), "1");
  EXPECT_EQ(sample(text, "ttbridge_job_retries_total", {"provider=\"codility\""}), "2");
  EXPECT_EQ(sample(text, "ttbridge_job_dead_letters_total", {"provider=\"codility\""}), "1");
  EXPECT_EQ(sample(text, "ttbridge_reconcile_polls_total", {}), "3");
}

// A change on one worker and a reset or another change on another can set a breaker gauge in
// the wrong order; the refresh each second sets both from the breakers' own counts.
TEST_F(JobMetricsTest, TheBreakerGaugesAreSetFromTheBreakersAtEachRefresh) {
  jobs::BreakerChange opened;
  opened.kind = jobs::BreakerChange::Kind::opened;
  opened.tenant = "acme";
  opened.provider = "codility";
  job_metrics_.on_breaker_change(opened, 1);
  job_metrics_.on_breakers_reset(1);  // a reset that landed after the breaker opened again
  EXPECT_EQ(sample(metrics_.render(), "ttbridge_vendor_breakers_open", {}), "0");

  job_metrics_.refresh_breakers(1, 2);
  const std::string text = metrics_.render();
  EXPECT_EQ(sample(text, "ttbridge_vendor_breakers_open", {}), "1");
  EXPECT_EQ(sample(text, "ttbridge_teamtailor_breakers_open", {}), "2");
}

}  // namespace
}  // namespace ttb::app
