// What a vendor's later change does to an order, decision by decision: a final status stays
// final, a newer revision of the final result amends it (and pushes), an update that is not
// newer than the revision applied is ignored, and an update without a revision never amends.

#include <gtest/gtest.h>

#include "orders/result_view.h"
#include "orders/update_plan.h"

namespace ttb::orders {
namespace {

constexpr std::int64_t kFirst = 1'700'000'000'000;
constexpr std::int64_t kLater = kFirst + 60'000;

// A completed order whose card shows score 71, applied at revision kFirst.
store::OrderRecord completed_with_71() {
  ResultView view;
  view.status = "completed";
  view.score = 71;
  view.summary = "Test completed with 71%.";
  view.details_json = R"({"sections":{"Coding":"71"}})";
  store::OrderRecord o;
  o.id = "pr-1";
  o.status = "completed";
  o.result_json = view.to_json();
  o.result_version = 3;
  o.applied_revision = kFirst;
  o.version = 7;
  o.candidate_json = R"({"email":"ada@example.org"})";
  return o;
}

VendorUpdate rescore(int score, std::optional<std::int64_t> revision) {
  VendorUpdate u;
  u.status = VendorStatus::completed;
  u.score = score;
  u.summary = "Test completed with " + std::to_string(score) + "%.";
  u.details_json = R"({"sections":{"Coding":")" + std::to_string(score) + R"("}})";
  u.revision = revision;
  return u;
}

TEST(AmendmentPlanTest, ANewerRevisionOfTheFinalResultAmendsTheCardAndSaysWhatChanged) {
  auto plan = plan_update(completed_with_71(), rescore(84, kLater), "callback");
  EXPECT_EQ(plan.verdict, Verdict::amend);
  EXPECT_FALSE(plan.change.status);  // still completed
  EXPECT_FALSE(plan.change.failure_reason);
  ASSERT_TRUE(plan.change.result_changed);  // the store bumps result_version: a push follows
  auto view = ResultView::from_json(*plan.change.result_json);
  EXPECT_EQ(view.status, "completed");
  EXPECT_EQ(view.score, 84);
  EXPECT_EQ(view.summary, "Test completed with 84%.");
  EXPECT_EQ(view.details_json, R"({"sections":{"Coding":"84"}})");
  EXPECT_EQ(plan.change.applied_revision, kLater);
  ASSERT_EQ(plan.change.timeline.size(), 1u);
  EXPECT_EQ(plan.change.timeline[0].event, "amended");
  EXPECT_EQ(plan.change.timeline[0].detail,
            "amended: score 71 → 84, summary, details (re-scored by the vendor, revision " +
                std::to_string(kLater) + ")");
}

TEST(AmendmentPlanTest, ADocumentThatBecameAvailableAmendsTheAttachments) {
  VendorUpdate u;
  u.status = VendorStatus::completed;
  u.attachments = std::vector<Attachment>{{"https://vendor.example/r.pdf", "Report (PDF)"}};
  u.revision = kLater;
  auto plan = plan_update(completed_with_71(), u, "callback");
  EXPECT_EQ(plan.verdict, Verdict::amend);
  ASSERT_TRUE(plan.change.result_changed);
  EXPECT_EQ(ResultView::from_json(*plan.change.result_json).attachments.size(), 1u);
  EXPECT_EQ(ResultView::from_json(*plan.change.result_json).score, 71);  // unreported: kept
  EXPECT_NE(plan.change.timeline.at(0).detail.find(
                "amended: attachments (a document became available at the vendor"),
            std::string::npos)
      << plan.change.timeline.at(0).detail;
}

TEST(AmendmentPlanTest, AnUpdateWithoutStatusAmendsLikeOneWithTheSameStatus) {
  auto u = rescore(90, kLater);
  u.status.reset();
  auto plan = plan_update(completed_with_71(), u, "callback");
  EXPECT_EQ(plan.verdict, Verdict::amend);
  EXPECT_EQ(ResultView::from_json(*plan.change.result_json).score, 90);
}

TEST(AmendmentPlanTest, AFailedOrderIsAmendedButKeepsItsReason) {
  auto o = completed_with_71();
  o.status = "failed";
  o.failure_reason = "expired";
  VendorUpdate u;
  u.status = VendorStatus::failed;
  u.failure_reason = FailureReason::vendor_error;
  u.summary = "Expired; the vendor withdrew the invitation.";
  u.revision = kLater;
  auto plan = plan_update(o, u, "callback");
  EXPECT_EQ(plan.verdict, Verdict::amend);
  EXPECT_FALSE(plan.change.status);
  EXPECT_FALSE(plan.change.failure_reason);
  EXPECT_EQ(ResultView::from_json(*plan.change.result_json).summary,
            "Expired; the vendor withdrew the invitation.");
}

TEST(AmendmentPlanTest, AnOpenOrAnotherFinalStatusNeverReopensOrFlipsAFinalOrder) {
  for (auto s : {VendorStatus::sent, VendorStatus::pending, VendorStatus::failed}) {
    auto u = rescore(10, kLater);
    u.status = s;
    auto plan = plan_update(completed_with_71(), u, "callback");
    EXPECT_EQ(plan.verdict, Verdict::final_) << to_string(s);
    EXPECT_FALSE(plan.change.status);
    EXPECT_FALSE(plan.change.result_changed);
    EXPECT_FALSE(plan.change.applied_revision);  // ignored: its revision is not taken
    ASSERT_EQ(plan.change.timeline.size(), 1u);
    EXPECT_EQ(plan.change.timeline[0].event, "ignored_final");
    EXPECT_EQ(plan.change.timeline[0].detail.rfind(
                  "'" + std::string(to_string(s)) + "' ignored: the order is already completed", 0),
              0u)
        << plan.change.timeline[0].detail;
  }
}

TEST(AmendmentPlanTest, AnOlderRevisionIsIgnoredWhateverItCarries) {
  auto plan = plan_update(completed_with_71(), rescore(50, kFirst - 1), "callback");
  EXPECT_EQ(plan.verdict, Verdict::older);
  EXPECT_FALSE(plan.change.result_changed);
  EXPECT_FALSE(plan.change.result_json);
  EXPECT_FALSE(plan.change.applied_revision);
  ASSERT_EQ(plan.change.timeline.size(), 1u);
  EXPECT_EQ(plan.change.timeline[0].event, "ignored_older");
  EXPECT_EQ(plan.change.timeline[0].detail, "'completed' ignored: older than revision " +
                                                std::to_string(kFirst) + " (this one is revision " +
                                                std::to_string(kFirst - 1) + ")");
}

TEST(AmendmentPlanTest, AnOlderRevisionIsIgnoredOnAnOpenOrderToo) {
  auto o = completed_with_71();
  o.status = "invited";
  auto u = rescore(50, kFirst - 1);  // a "completed" that the vendor sent before the last one
  auto plan = plan_update(o, u, "callback");
  EXPECT_EQ(plan.verdict, Verdict::older);
  EXPECT_FALSE(plan.change.status);
}

TEST(AmendmentPlanTest, TheSameRevisionAgainIsARepeatAndQuietForPolls) {
  auto plan = plan_update(completed_with_71(), rescore(84, kFirst), "callback");
  EXPECT_EQ(plan.verdict, Verdict::older);
  EXPECT_EQ(plan.change.timeline.at(0).event, "ignored_repeat");
  EXPECT_EQ(plan.change.timeline.at(0).detail,
            "'completed' ignored: revision " + std::to_string(kFirst) + " is already applied");
  auto quiet = plan_update(completed_with_71(), rescore(84, kFirst), "poll", true);
  EXPECT_EQ(quiet.verdict, Verdict::older);
  EXPECT_TRUE(quiet.empty());
}

TEST(AmendmentPlanTest, WithoutARevisionAFinalResultIsNeverAmended) {
  auto plan = plan_update(completed_with_71(), rescore(84, std::nullopt), "callback");
  EXPECT_EQ(plan.verdict, Verdict::final_);
  EXPECT_FALSE(plan.change.result_changed);
  ASSERT_EQ(plan.change.timeline.size(), 1u);
  EXPECT_EQ(plan.change.timeline[0].event, "ignored_final");
  EXPECT_NE(plan.change.timeline[0].detail.find(
                "an update without a revision never amends a final result"),
            std::string::npos);
}

TEST(AmendmentPlanTest, TheFirstRevisionOfAFinalOrderAmendsIt) {
  auto o = completed_with_71();
  o.applied_revision.reset();  // completed by updates without revision (e.g. polls)
  auto plan = plan_update(o, rescore(84, 5), "callback");
  EXPECT_EQ(plan.verdict, Verdict::amend);
  EXPECT_EQ(plan.change.applied_revision, 5);
}

TEST(AmendmentPlanTest, ANewerRevisionWithNothingNewOnlyRecordsTheRevision) {
  auto same = rescore(71, kLater);
  auto plan = plan_update(completed_with_71(), same, "callback");
  EXPECT_EQ(plan.verdict, Verdict::amend);
  EXPECT_FALSE(plan.change.result_changed);
  EXPECT_EQ(plan.change.applied_revision, kLater);
  EXPECT_EQ(plan.change.timeline.at(0).event, "duplicate_update");
  auto quiet = plan_update(completed_with_71(), same, "poll", true);
  EXPECT_TRUE(quiet.change.timeline.empty());
  EXPECT_FALSE(quiet.empty());  // the revision is still written
}

TEST(AmendmentPlanTest, AnOpenOrderTakesTheRevisionOfTheUpdateItApplies) {
  auto o = completed_with_71();
  o.status = "in_progress";
  o.applied_revision.reset();
  auto advance = plan_update(o, rescore(71, kFirst), "callback");
  EXPECT_EQ(advance.verdict, Verdict::advance);
  EXPECT_EQ(advance.change.status, "completed");
  EXPECT_EQ(advance.change.applied_revision, kFirst);
  auto u = rescore(71, kFirst);
  u.status = VendorStatus::sent;  // late by status: ignored, its revision not taken
  auto late = plan_update(o, u, "callback");
  EXPECT_EQ(late.verdict, Verdict::late);
  EXPECT_FALSE(late.change.applied_revision);
}

TEST(DescribeChangesTest, NamesEachChangedFieldAndTheScoreValues) {
  ResultView a;
  a.status = "completed";
  ResultView b = a;
  EXPECT_EQ(describe_changes(a, b), "");
  b.score = 84;
  b.grade = "top_fit";
  b.url = "https://r";
  EXPECT_EQ(describe_changes(a, b), "score none → 84, grade, report link");
}

}  // namespace
}  // namespace ttb::orders
