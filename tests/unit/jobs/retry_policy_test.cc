// Backoff with full jitter, caps, deadline and Retry-After.

#include "jobs/retry_policy.h"

#include <gtest/gtest.h>

namespace ttb::jobs {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const store::TimePoint kT0{std::chrono::hours(1000)};

TEST(RetryPolicyTest, BackoffDoublesUpToTheCapWithFullJitter) {
  RetryPolicy p;
  p.max_attempts = 100;
  p.base_delay = seconds(1);
  p.max_delay = seconds(60);
  auto top = [] { return 1.0; };
  auto half = [] { return 0.5; };
  auto zero = [] { return 0.0; };
  EXPECT_EQ(*p.next_run(1, kT0, kT0, {}, top), kT0 + seconds(1));
  EXPECT_EQ(*p.next_run(2, kT0, kT0, {}, top), kT0 + seconds(2));
  EXPECT_EQ(*p.next_run(4, kT0, kT0, {}, top), kT0 + seconds(8));
  EXPECT_EQ(*p.next_run(4, kT0, kT0, {}, half), kT0 + seconds(4));
  EXPECT_EQ(*p.next_run(4, kT0, kT0, {}, zero), kT0);
  EXPECT_EQ(*p.next_run(30, kT0, kT0, {}, top), kT0 + seconds(60));
  EXPECT_EQ(*p.next_run(99, kT0, kT0, {}, top), kT0 + seconds(60));  // no overflow
}

TEST(RetryPolicyTest, RetryAfterIsHonouredAsGiven) {
  RetryPolicy p;
  EXPECT_EQ(*p.next_run(1, kT0, kT0, milliseconds(30'000), [] { return 0.0; }), kT0 + seconds(30));
}

TEST(RetryPolicyTest, GivesUpAtTheAttemptCap) {
  RetryPolicy p;
  p.max_attempts = 3;
  EXPECT_TRUE(p.next_run(2, kT0, kT0, {}, [] { return 1.0; }));
  EXPECT_FALSE(p.next_run(3, kT0, kT0, {}, [] { return 1.0; }));
}

TEST(RetryPolicyTest, GivesUpWhenTheNextRunWouldPassTheDeadline) {
  RetryPolicy p;
  p.deadline = std::chrono::hours(1);
  const auto later = kT0 + std::chrono::minutes(59);
  EXPECT_TRUE(p.next_run(1, kT0, later, seconds(30), [] { return 1.0; }));
  EXPECT_FALSE(p.next_run(1, kT0, later, seconds(90), [] { return 1.0; }));
}

TEST(RetryPolicyTest, ARetryAfterOfAnyLengthPastTheDeadlineGivesUpWithoutOverflow) {
  RetryPolicy p;
  p.deadline = std::chrono::hours(1);
  EXPECT_TRUE(p.next_run(1, kT0, kT0, std::chrono::hours(1), [] { return 1.0; }));
  EXPECT_FALSE(
      p.next_run(1, kT0, kT0, std::chrono::hours(1) + milliseconds(1), [] { return 1.0; }));
  // Nanoseconds of the system clock overflow at some 292 years: UBSan's signed overflow unclamped.
  EXPECT_FALSE(p.next_run(1, kT0, kT0, milliseconds::max(), [] { return 1.0; }));
  EXPECT_FALSE(p.next_run(1, kT0, kT0, std::chrono::hours(24 * 365 * 300), [] { return 1.0; }));
}

}  // namespace
}  // namespace ttb::jobs
