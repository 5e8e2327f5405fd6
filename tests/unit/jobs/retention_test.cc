// Retention as the daemon runs it: after the window a finished order keeps its id, status and
// result but loses its candidate's personal data and its history; an open order keeps everything;
// 0 days keeps everything forever. Time comes from the manual clock.

#include "jobs/retention.h"
#include "jobs_fixture.h"

namespace ttb::jobs::testing {
namespace {

using std::chrono::hours;

class RetentionTest : public JobsFixture {
 protected:
  void SetUp() override {
    JobsFixture::SetUp();
    accept("open-1");
    accept("done-1");
    // Both invites ran (each with the push it queued): the vendor invited both; one completed.
    EXPECT_EQ(runner().run_due(), 4);
    finish("done-1");
  }

  void finish(const std::string& id) {
    auto updated = orders_->apply_vendor_update(
        "acme", "codility", R"({"order_id":")" + id + R"(","status":"completed","score":70})",
        "vendor");
    ASSERT_EQ(updated.status, orders::ApplyResult::Status::applied) << updated.message;
  }

  Retention retention(int days, int batch = 500) {
    return Retention(*store_, RetentionOptions{days, batch, 200, clock_.fn()});
  }
};

TEST_F(RetentionTest, AfterTheWindowAFinishedOrderLosesPersonalDataAndHistoryOnly) {
  clock_.advance(hours(24) * 89);
  auto early = retention(90).run();
  EXPECT_TRUE(early.error.empty()) << early.error;
  EXPECT_EQ(early.purged.total(), 0);
  EXPECT_NE(get("done-1").candidate_json.find("Lovelace"), std::string::npos);

  clock_.advance(hours(24) * 2);
  auto run = retention(90).run();
  EXPECT_TRUE(run.error.empty()) << run.error;
  EXPECT_EQ(run.purged.orders, 1);

  const auto done = get("done-1");
  EXPECT_EQ(done.id, "done-1");
  EXPECT_EQ(done.status, "completed");
  EXPECT_EQ(result("done-1").score, 70);
  EXPECT_EQ(done.candidate_json.find("Lovelace"), std::string::npos);
  EXPECT_EQ(done.candidate_json.find("ada@example.org"), std::string::npos);
  EXPECT_TRUE(store_->timeline("done-1")->empty());
  for (const auto& job : jobs("done-1")) EXPECT_NE(job.state, store::JobState::done);

  const auto open = get("open-1");
  EXPECT_EQ(open.status, "invited");
  EXPECT_NE(open.candidate_json.find("ada@example.org"), std::string::npos);
  EXPECT_FALSE(store_->timeline("open-1")->empty());
  EXPECT_FALSE(jobs("open-1").empty());
}

TEST_F(RetentionTest, ZeroDaysKeepsEverything) {
  clock_.advance(hours(24) * 3650);
  auto run = retention(0).run();
  EXPECT_EQ(run.batches, 0);
  EXPECT_EQ(run.purged.total(), 0);
  EXPECT_NE(get("done-1").candidate_json.find("Lovelace"), std::string::npos);
  EXPECT_FALSE(store_->timeline("done-1")->empty());
}

TEST_F(RetentionTest, ARunWorksOffItsBacklogInBatches) {
  for (int i = 0; i < 4; ++i) {
    const std::string id = "more-" + std::to_string(i);
    accept(id);
  }
  EXPECT_GE(runner().run_due(), 8);  // their invites and pushes (and done-1's last push)
  for (int i = 0; i < 4; ++i) finish("more-" + std::to_string(i));
  clock_.advance(hours(24) * 91);
  auto run = retention(90, 1).run();
  EXPECT_TRUE(run.error.empty()) << run.error;
  EXPECT_EQ(run.purged.orders, 5);
  EXPECT_EQ(run.batches, 6);  // one order per batch of one row, then one that finds nothing
}

}  // namespace
}  // namespace ttb::jobs::testing
