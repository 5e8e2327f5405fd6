// What an update does to an order, transition by transition: status, result view, push, timeline.

#include "orders/update_plan.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "orders/result_view.h"

namespace ttb::orders {
namespace {

store::OrderRecord order_in(const std::string& status, const std::string& result_json = "{}") {
  store::OrderRecord o;
  o.id = "pr-1";
  o.tenant = "acme";
  o.provider = "codility";
  o.status = status;
  o.result_json = result_json;
  o.version = 4;
  o.candidate_json = R"({"id":"1001","email":"ada@example.org"})";
  return o;
}

VendorUpdate with_status(VendorStatus s) {
  VendorUpdate u;
  u.status = s;
  return u;
}

TEST(UpdatePlanTest, SentMovesReceivedToInvitedAndPushesTheInvitation) {
  auto u = with_status(VendorStatus::sent);
  u.vendor_order_id = "v-42";
  u.candidate_url = "https://vendor.example/take/secret-token";
  auto plan = plan_update(order_in("received"), u, "vendor");
  EXPECT_EQ(plan.verdict, Verdict::advance);
  EXPECT_EQ(plan.change.expected_version, 4);
  EXPECT_EQ(plan.change.status, "invited");
  EXPECT_EQ(plan.change.vendor_order_id, "v-42");
  ASSERT_TRUE(plan.change.result_changed);
  auto view = ResultView::from_json(*plan.change.result_json);
  EXPECT_EQ(view.status, "sent");
  EXPECT_EQ(view.summary, "Invitation sent to ada@example.org");
  EXPECT_EQ(view.url, "");  // the candidate's link is not the recruiter's
  EXPECT_EQ(plan.change.result_json->find("secret-token"), std::string::npos);
  ASSERT_EQ(plan.change.timeline.size(), 1u);
  EXPECT_EQ(plan.change.timeline[0].event, "invited");
  EXPECT_EQ(plan.change.timeline[0].source, "vendor");
}

TEST(UpdatePlanTest, EachForwardTransitionSetsStatusAndPushes) {
  struct Row {
    std::string from;
    VendorStatus reported;
    std::string to;
    std::string tt;
  } rows[] = {
      {"received", VendorStatus::pending, "in_progress", "pending"},
      {"received", VendorStatus::completed, "completed", "completed"},
      {"received", VendorStatus::failed, "failed", "failed"},
      {"invited", VendorStatus::pending, "in_progress", "pending"},
      {"invited", VendorStatus::completed, "completed", "completed"},
      {"invited", VendorStatus::failed, "failed", "failed"},
      {"in_progress", VendorStatus::completed, "completed", "completed"},
      {"in_progress", VendorStatus::failed, "failed", "failed"},
  };
  for (const auto& row : rows) {
    auto plan = plan_update(order_in(row.from), with_status(row.reported), "callback");
    EXPECT_EQ(plan.verdict, Verdict::advance) << row.from;
    EXPECT_EQ(plan.change.status, row.to) << row.from;
    EXPECT_TRUE(plan.change.result_changed) << row.from;
    EXPECT_EQ(ResultView::from_json(*plan.change.result_json).status, row.tt);
  }
}

TEST(UpdatePlanTest, TerminalOrdersIgnoreEveryUpdateButRecordIt) {
  for (std::string terminal : {"completed", "failed"}) {
    for (auto s : {VendorStatus::sent, VendorStatus::pending, VendorStatus::completed,
                   VendorStatus::failed}) {
      auto u = with_status(s);
      u.score = 10;
      u.summary = "late";
      u.vendor_state_json = R"({"x":1})";
      auto plan = plan_update(order_in(terminal, R"({"status":"completed"})"), u, "callback");
      EXPECT_EQ(plan.verdict, Verdict::final_);
      EXPECT_FALSE(plan.change.status);
      EXPECT_FALSE(plan.change.result_json);
      EXPECT_FALSE(plan.change.result_changed);
      EXPECT_FALSE(plan.change.vendor_state_json);
      ASSERT_EQ(plan.change.timeline.size(), 1u);
      EXPECT_EQ(plan.change.timeline[0].event, "ignored_final");
    }
  }
}

TEST(UpdatePlanTest, LateUpdateIsIgnoredButTeachesTheVendorId) {
  auto u = with_status(VendorStatus::sent);
  u.vendor_order_id = "v-9";
  u.vendor_state_json = R"({"secret_ref":"k"})";
  u.summary = "stale";
  auto plan = plan_update(order_in("in_progress"), u, "vendor");
  EXPECT_EQ(plan.verdict, Verdict::late);
  EXPECT_FALSE(plan.change.status);
  EXPECT_FALSE(plan.change.result_changed);
  EXPECT_EQ(plan.change.vendor_order_id, "v-9");
  EXPECT_EQ(plan.change.vendor_state_json, R"({"secret_ref":"k"})");
  EXPECT_EQ(plan.change.timeline.at(0).event, "ignored_late");
}

TEST(UpdatePlanTest, FailureReasonIsRecordedAndSummarised) {
  auto u = with_status(VendorStatus::failed);
  u.failure_reason = FailureReason::expired;
  auto plan = plan_update(order_in("invited"), u, "poll");
  EXPECT_EQ(plan.change.failure_reason, "expired");
  EXPECT_EQ(ResultView::from_json(*plan.change.result_json).summary,
            "Failed: the invitation expired");
}

TEST(UpdatePlanTest, CompletedResultCarriesEverythingTheRecruiterSees) {
  auto u = with_status(VendorStatus::completed);
  u.score = 88;
  u.summary = "Passed: 88/100";
  u.report_url = "https://vendor.example/reports/abc";
  u.candidate_url = "https://vendor.example/take/abc";
  u.attachments = std::vector<Attachment>{{"https://vendor.example/r.pdf", "Full report"}};
  u.details_json = R"({"sections":{"stl":"81"}})";
  auto plan = plan_update(order_in("in_progress"), u, "callback");
  auto view = ResultView::from_json(*plan.change.result_json);
  EXPECT_EQ(view.status, "completed");
  EXPECT_EQ(view.score, 88);
  EXPECT_EQ(view.summary, "Passed: 88/100");
  EXPECT_EQ(view.url, "https://vendor.example/reports/abc");
  ASSERT_EQ(view.attachments.size(), 1u);
  EXPECT_EQ(view.attachments[0].description, "Full report");
  EXPECT_EQ(view.details_json, R"({"sections":{"stl":"81"}})");
}

TEST(UpdatePlanTest, SameStatusWithNewFieldsPushesAndKeepsUnreportedOnes) {
  ResultView before;
  before.status = "pending";
  before.summary = "Section 1 done";
  before.url = "https://r/1";
  auto u = with_status(VendorStatus::pending);
  u.score = 40;
  auto plan = plan_update(order_in("in_progress", before.to_json()), u, "callback");
  EXPECT_EQ(plan.verdict, Verdict::refresh);
  EXPECT_FALSE(plan.change.status);
  ASSERT_TRUE(plan.change.result_changed);
  auto view = ResultView::from_json(*plan.change.result_json);
  EXPECT_EQ(view.score, 40);
  EXPECT_EQ(view.summary, "Section 1 done");
  EXPECT_EQ(view.url, "https://r/1");
  EXPECT_EQ(plan.change.timeline.at(0).event, "updated");
}

TEST(UpdatePlanTest, AnUpdateWithNothingNewDoesNotPush) {
  auto first = plan_update(order_in("received"), with_status(VendorStatus::sent), "vendor");
  auto o = order_in("invited", *first.change.result_json);
  auto again = plan_update(o, with_status(VendorStatus::sent), "callback");
  EXPECT_EQ(again.verdict, Verdict::refresh);
  EXPECT_FALSE(again.change.result_changed);
  EXPECT_FALSE(again.change.result_json);
  ASSERT_EQ(again.change.timeline.size(), 1u);
  EXPECT_EQ(again.change.timeline[0].event, "duplicate_update");
  auto quiet = plan_update(o, with_status(VendorStatus::sent), "poll", true);
  EXPECT_TRUE(quiet.empty());
}

TEST(UpdatePlanTest, VendorStateChangeIsStoredWithoutPush) {
  auto first = plan_update(order_in("received"), with_status(VendorStatus::sent), "vendor");
  auto o = order_in("invited", *first.change.result_json);
  auto u = with_status(VendorStatus::sent);
  u.vendor_state_json = R"({"cursor":2})";
  auto plan = plan_update(o, u, "poll", true);
  EXPECT_EQ(plan.change.vendor_state_json, R"({"cursor":2})");
  EXPECT_FALSE(plan.change.result_changed);
  EXPECT_FALSE(plan.empty());
}

}  // namespace
}  // namespace ttb::orders
