// Each plugin call status that can end an invitation, and the card it leaves the recruiter.

#include "orders/failure_summary.h"

#include <gtest/gtest.h>

namespace ttb::orders {
namespace {

TEST(FailureSummaryTest, RefusedCredentialsTellTheRecruiterTheAdministratorKnows) {
  const auto f = invite_failure("auth");
  EXPECT_EQ(f.reason, FailureReason::vendor_error);
  EXPECT_EQ(f.summary, "The vendor refused our credentials; your administrator has been told.");
}

TEST(FailureSummaryTest, RefusedInvitationAsksToCheckEmailAndTest) {
  const auto f = invite_failure("invalid");
  EXPECT_EQ(f.reason, FailureReason::rejected);
  EXPECT_NE(f.summary.find("check the candidate's email and the chosen test"), std::string::npos);
}

TEST(FailureSummaryTest, UnknownTestAsksForAnotherTest) {
  const auto f = invite_failure("not_found");
  EXPECT_EQ(f.reason, FailureReason::rejected);
  EXPECT_NE(f.summary.find("does not know the chosen test"), std::string::npos);
}

TEST(FailureSummaryTest, UnsupportedProviderIsForTheAdministrator) {
  const auto f = invite_failure("unsupported");
  EXPECT_EQ(f.reason, FailureReason::vendor_error);
  EXPECT_NE(f.summary.find("cannot send invitations"), std::string::npos);
  EXPECT_NE(f.summary.find("administrator has been told"), std::string::npos);
}

TEST(FailureSummaryTest, UnreachableVendorSaysRetriesWereUsedUp) {
  const auto f = invite_failure("vendor_unavailable");
  EXPECT_EQ(f.reason, FailureReason::vendor_error);
  EXPECT_NE(f.summary.find("could not be reached, even after several tries"), std::string::npos);
}

TEST(FailureSummaryTest, RateLimitedVendorSaysRetriesWereUsedUp) {
  const auto f = invite_failure("rate_limited");
  EXPECT_EQ(f.reason, FailureReason::vendor_error);
  EXPECT_NE(f.summary.find("slow down, even after several tries"), std::string::npos);
}

TEST(FailureSummaryTest, TimeoutSaysRetriesWereUsedUp) {
  const auto f = invite_failure("timeout");
  EXPECT_EQ(f.reason, FailureReason::vendor_error);
  EXPECT_NE(f.summary.find("did not answer in time, even after several tries"), std::string::npos);
}

TEST(FailureSummaryTest, PluginBugsAndEngineErrorsAreOurSide) {
  for (const char* status : {"internal", "cancelled", "", "something_new"}) {
    const auto f = invite_failure(status);
    EXPECT_EQ(f.reason, FailureReason::vendor_error) << status;
    EXPECT_NE(f.summary.find("an error on our side"), std::string::npos) << status;
  }
}

TEST(FailureSummaryTest, CrashedSaysThePluginWasStopped) {
  const auto f = invite_failure("crashed");
  EXPECT_EQ(f.reason, FailureReason::vendor_error);
  EXPECT_NE(f.summary.find("plugin crashed each time"), std::string::npos) << f.summary;
}

TEST(FailureSummaryTest, EverySummaryEndsAsASentence) {
  for (const char* status : {"auth", "invalid", "not_found", "unsupported", "vendor_unavailable",
                             "rate_limited", "timeout", "internal", "crashed"}) {
    const auto summary = invite_failure(status).summary;
    ASSERT_FALSE(summary.empty()) << status;
    EXPECT_EQ(summary.back(), '.') << status;
  }
}

}  // namespace
}  // namespace ttb::orders
