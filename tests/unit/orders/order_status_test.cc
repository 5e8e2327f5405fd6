// Every pair of (current status, reported status) through the state machine.

#include "orders/order_status.h"

#include <gtest/gtest.h>

namespace ttb::orders {
namespace {

using OS = OrderStatus;
using V = Verdict;

struct Row {
  OS current;
  std::optional<OS> next;
  V verdict;
};

TEST(OrderStatusTest, EveryTransitionHasTheExpectedVerdict) {
  const std::optional<OS> none;
  const Row table[] = {
      {OS::received, none, V::refresh},
      {OS::received, OS::received, V::refresh},
      {OS::received, OS::invited, V::advance},
      {OS::received, OS::in_progress, V::advance},
      {OS::received, OS::completed, V::advance},
      {OS::received, OS::failed, V::advance},
      {OS::invited, none, V::refresh},
      {OS::invited, OS::received, V::late},
      {OS::invited, OS::invited, V::refresh},
      {OS::invited, OS::in_progress, V::advance},
      {OS::invited, OS::completed, V::advance},
      {OS::invited, OS::failed, V::advance},
      {OS::in_progress, none, V::refresh},
      {OS::in_progress, OS::received, V::late},
      {OS::in_progress, OS::invited, V::late},
      {OS::in_progress, OS::in_progress, V::refresh},
      {OS::in_progress, OS::completed, V::advance},
      {OS::in_progress, OS::failed, V::advance},
      {OS::completed, none, V::final_},
      {OS::completed, OS::received, V::final_},
      {OS::completed, OS::invited, V::final_},
      {OS::completed, OS::in_progress, V::final_},
      {OS::completed, OS::completed, V::final_},
      {OS::completed, OS::failed, V::final_},
      {OS::failed, none, V::final_},
      {OS::failed, OS::received, V::final_},
      {OS::failed, OS::invited, V::final_},
      {OS::failed, OS::in_progress, V::final_},
      {OS::failed, OS::completed, V::final_},
      {OS::failed, OS::failed, V::final_},
  };
  for (const auto& row : table) {
    EXPECT_EQ(judge(row.current, row.next), row.verdict)
        << to_string(row.current) << " + " << (row.next ? to_string(*row.next) : "(none)");
  }
}

TEST(OrderStatusTest, VendorStatusesMapOntoOrderStatuses) {
  EXPECT_EQ(from_vendor(VendorStatus::sent), OS::invited);
  EXPECT_EQ(from_vendor(VendorStatus::pending), OS::in_progress);
  EXPECT_EQ(from_vendor(VendorStatus::completed), OS::completed);
  EXPECT_EQ(from_vendor(VendorStatus::failed), OS::failed);
}

TEST(OrderStatusTest, TeamtailorSeesSendingThenTheVendorWords) {
  EXPECT_STREQ(teamtailor_status(OS::received), "sending");
  EXPECT_STREQ(teamtailor_status(OS::invited), "sent");
  EXPECT_STREQ(teamtailor_status(OS::in_progress), "pending");
  EXPECT_STREQ(teamtailor_status(OS::completed), "completed");
  EXPECT_STREQ(teamtailor_status(OS::failed), "failed");
}

TEST(OrderStatusTest, OnlyCompletedAndFailedAreTerminal) {
  EXPECT_FALSE(is_terminal(OS::received));
  EXPECT_FALSE(is_terminal(OS::invited));
  EXPECT_FALSE(is_terminal(OS::in_progress));
  EXPECT_TRUE(is_terminal(OS::completed));
  EXPECT_TRUE(is_terminal(OS::failed));
}

TEST(OrderStatusTest, NamesRoundTripAndUnknownNamesAreRefused) {
  for (auto s : {OS::received, OS::invited, OS::in_progress, OS::completed, OS::failed}) {
    EXPECT_EQ(parse_order_status(to_string(s)), s);
  }
  for (auto r : {FailureReason::none, FailureReason::expired, FailureReason::cancelled,
                 FailureReason::rejected, FailureReason::vendor_error}) {
    EXPECT_EQ(parse_failure_reason(to_string(r)), r);
  }
  EXPECT_FALSE(parse_order_status("done"));
  EXPECT_FALSE(parse_vendor_status("invited"));
  EXPECT_FALSE(parse_failure_reason("timeout"));
}

}  // namespace
}  // namespace ttb::orders
