// A claim riding on a job's completion (ChangeSet::then_claim): it runs after the set's writes in
// the same transaction, so it sees the job done and the jobs the set enqueued, and it claims
// nothing when the set applies nothing. Run against every store.

#include "store_fixture.h"

namespace ttb::store::testing {
namespace {

class RidingClaimTest : public OpenStoreContractFixture {
 protected:
  void SetUp() override {
    OpenStoreContractFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(store_->accept_order(order("pr-1", "ev-1")));
    ASSERT_TRUE(store_->accept_order(order("pr-2", "ev-2")));
    auto claimed = store_->claim_due_jobs({clock_.now(), 1, {}});
    ASSERT_TRUE(claimed && claimed->size() == 1u);
    invite_ = claimed->at(0);
    ASSERT_EQ(invite_.order_id, "pr-1");
  }

  // pr-1's invite done, its order invited with a new result (which enqueues a push), and a claim
  // of `kinds` riding on it.
  ChangeSet completion(JobClaim finishing, ClaimRequest::Kinds kinds) {
    ChangeSet changes;
    changes.finish_job = finishing;
    OrderChange change;
    change.order_id = "pr-1";
    change.expected_version = store_->get_order("pr-1")->version;
    change.status = "invited";
    change.result_json = R"({"status":"sent"})";
    change.result_changed = true;
    changes.orders.push_back(change);
    changes.then_claim = ClaimRequest(clock_.now(), 1);
    changes.then_claim->kinds = kinds;
    return changes;
  }

  JobRecord invite_;
};

TEST_P(RidingClaimTest, ClaimsThePushItsOwnCommitEnqueued) {
  auto committed = store_->commit(completion(invite_, ClaimRequest::Kinds::pushes));
  ASSERT_TRUE(committed) << committed.error().message;
  ASSERT_EQ(committed->claimed.size(), 1u);
  const JobRecord& push = committed->claimed[0];
  EXPECT_EQ(push.kind, JobKind::push);
  EXPECT_EQ(push.order_id, "pr-1");  // free again: its invite is done in the same commit
  EXPECT_EQ(push.state, JobState::running);
  EXPECT_EQ(push.attempts, 1);
  ASSERT_EQ(committed->job_ids.size(), 1u);
  EXPECT_EQ(push.id, committed->job_ids[0]);
  EXPECT_EQ(store_->get_job(push.id)->state, JobState::running);
  EXPECT_EQ(store_->get_job(invite_.id)->state, JobState::done);
}

TEST_P(RidingClaimTest, ClaimsOnlyItsKindAndWhatItsAdmitLetsThrough) {
  auto committed = store_->commit(completion(invite_, ClaimRequest::Kinds::vendor_work));
  ASSERT_TRUE(committed) << committed.error().message;
  ASSERT_EQ(committed->claimed.size(), 1u);
  EXPECT_EQ(committed->claimed[0].order_id, "pr-2");
  EXPECT_EQ(committed->claimed[0].kind, JobKind::invite);

  // Nothing admitted: nothing claimed, and the commit still applies.
  auto pr2 = committed->claimed[0];
  ChangeSet done;
  done.finish_job = pr2;
  done.then_claim =
      ClaimRequest(clock_.now(), 1, [](const std::string&, const std::string&) { return false; });
  auto refused = store_->commit(done);
  ASSERT_TRUE(refused) << refused.error().message;
  EXPECT_TRUE(refused->claimed.empty());
  EXPECT_EQ(store_->get_job(pr2.id)->state, JobState::done);
  auto push = store_->list_jobs({false, "", "pr-1", 10});
  ASSERT_TRUE(push);
  for (const auto& job : *push) {
    if (job.kind == JobKind::push) {
      EXPECT_EQ(job.state, JobState::queued);
    }
  }
}

TEST_P(RidingClaimTest, AFencedCompletionClaimsNothing) {
  // The invite is taken over (a retry and a second claim): the first claim is stale.
  ASSERT_TRUE(store_->retry_job(invite_, clock_.now(), "vendor 503"));
  auto again = store_->claim_due_jobs({clock_.now(), 1, {}});
  ASSERT_TRUE(again && again->size() == 1u);
  ASSERT_EQ(again->at(0).id, invite_.id);

  auto committed = store_->commit(completion(invite_, ClaimRequest::Kinds::all));
  ASSERT_FALSE(committed);
  EXPECT_EQ(committed.error().code, Error::Code::fenced);
  // pr-2's invite was not claimed by the failed commit.
  auto pr2 = store_->list_jobs({false, "", "pr-2", 10});
  ASSERT_TRUE(pr2 && pr2->size() == 1u);
  EXPECT_EQ(pr2->at(0).state, JobState::queued);
  EXPECT_EQ(pr2->at(0).attempts, 0);
}

TEST_P(RidingClaimTest, WithoutAFinishingJobTheClaimDoesNotRide) {
  ChangeSet note;
  OrderChange change;
  change.order_id = "pr-2";
  change.expected_version = store_->get_order("pr-2")->version;
  change.timeline.push_back({{}, "engine", "note", "a line"});
  note.orders.push_back(change);
  note.then_claim = ClaimRequest(clock_.now(), 1);
  auto committed = store_->commit(note);
  ASSERT_TRUE(committed) << committed.error().message;
  EXPECT_TRUE(committed->claimed.empty());
  EXPECT_EQ(store_->list_jobs({false, "", "pr-2", 10})->at(0).state, JobState::queued);
}

TTB_FOR_EVERY_STORE(RidingClaimTest);

}  // namespace
}  // namespace ttb::store::testing
