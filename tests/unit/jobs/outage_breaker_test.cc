// The outage breaker alone, on a manual steady clock, fed as a vendor's breaker is: what opens
// it, what a probe decides, how long it waits, and what it tells the app. The runner's use of it,
// for vendors and for Teamtailor, is in job_runner_test.cc.

#include <vector>

#include <gtest/gtest.h>

#include "jobs/outage_breaker.h"

namespace ttb::jobs::testing {
namespace {

using plugins::CallStatus;
using std::chrono::milliseconds;
using std::chrono::seconds;
using Start = OutageBreaker::Start;

class OutageBreakerTest : public ::testing::Test {
 protected:
  OutageBreaker make(int failures = 3, seconds open_for = seconds(30),
                     seconds open_max = seconds(100)) {
    BreakerOptions options;
    options.failures = failures;
    options.open_for = open_for;
    options.open_max = open_max;
    options.clock = [this] { return now_; };
    options.uniform01 = [] { return 0.5; };
    options.on_change = [this](const BreakerChange& change) { changes_.push_back(change); };
    return OutageBreaker(std::move(options));
  }
  // `n` calls of acme/checkr the vendor did not answer.
  static void fail(OutageBreaker& breaker, int n,
                   CallStatus status = CallStatus::vendor_unavailable) {
    for (int i = 0; i < n; ++i) breaker.record("acme", "checkr", status);
  }

  std::chrono::steady_clock::time_point now_{seconds(1000)};
  std::vector<BreakerChange> changes_;
};

TEST_F(OutageBreakerTest, OpensAfterTheUnansweredCallsInARowAndHoldsTheProvidersJobs) {
  OutageBreaker breaker = make(3);
  fail(breaker, 2);
  EXPECT_EQ(breaker.try_start("acme", "checkr"), Start::normal);
  fail(breaker, 1, CallStatus::timeout);  // a call that timed out counts as unanswered too

  EXPECT_TRUE(breaker.is_open("acme", "checkr"));
  EXPECT_EQ(breaker.try_start("acme", "checkr"), Start::held);
  // Until the probe's time, and then half of the wait (the test's draw) beyond it.
  EXPECT_EQ(breaker.hold_for("acme", "checkr"), milliseconds(seconds(30 + 15)));
  EXPECT_EQ(breaker.open_count(), 1);
  EXPECT_EQ(breaker.open_pairs(), std::vector<std::string>{"acme/checkr"});
  // Another tenant's provider, and another provider of the same tenant, run as before.
  EXPECT_EQ(breaker.try_start("globex", "checkr"), Start::normal);
  EXPECT_EQ(breaker.try_start("acme", "hackerrank"), Start::normal);

  ASSERT_EQ(changes_.size(), 1u);
  EXPECT_EQ(changes_[0].kind, BreakerChange::Kind::opened);
  EXPECT_EQ(changes_[0].tenant, "acme");
  EXPECT_EQ(changes_[0].provider, "checkr");
  EXPECT_EQ(changes_[0].failures, 3);
  EXPECT_EQ(changes_[0].status, CallStatus::timeout);
  EXPECT_EQ(changes_[0].open_for, milliseconds(seconds(30)));
}

TEST_F(OutageBreakerTest, AnyAnswerOfTheVendorStartsTheCountAgain) {
  OutageBreaker breaker = make(3);
  // A refusal is an answer: the vendor is there.
  for (CallStatus answer : {CallStatus::ok, CallStatus::invalid, CallStatus::auth,
                            CallStatus::not_found, CallStatus::rate_limited}) {
    fail(breaker, 2);
    breaker.record("acme", "checkr", answer);
  }
  fail(breaker, 2);
  EXPECT_FALSE(breaker.is_open("acme", "checkr"));
  EXPECT_TRUE(changes_.empty());
}

TEST_F(OutageBreakerTest, FailuresOnThePluginsSideSayNothingAboutTheVendor) {
  OutageBreaker breaker = make(3);
  fail(breaker, 2);
  for (CallStatus plugin_side : {CallStatus::internal, CallStatus::crashed, CallStatus::unsupported,
                                 CallStatus::cancelled}) {
    breaker.record("acme", "checkr", plugin_side);
  }
  EXPECT_FALSE(breaker.is_open("acme", "checkr"));
  fail(breaker, 1);  // neither reset the count nor added to it
  EXPECT_TRUE(breaker.is_open("acme", "checkr"));
}

TEST_F(OutageBreakerTest, OneProbeAtATimeOnceTheWaitIsOverAndItsAnswerClosesTheBreaker) {
  OutageBreaker breaker = make(3);
  fail(breaker, 3);
  now_ += seconds(29);
  EXPECT_EQ(breaker.try_start("acme", "checkr"), Start::held);
  EXPECT_EQ(breaker.hold_for("acme", "checkr"), milliseconds(seconds(1 + 15)));
  now_ += seconds(1);
  EXPECT_EQ(breaker.try_start("acme", "checkr"), Start::probe);
  EXPECT_EQ(breaker.try_start("acme", "checkr"), Start::held) << "one probe at a time";
  EXPECT_EQ(breaker.hold_for("acme", "checkr"), milliseconds(seconds(15)))
      << "while the probe runs, half a wait from now";

  now_ += seconds(5);
  breaker.record("acme", "checkr", CallStatus::ok);
  EXPECT_FALSE(breaker.is_open("acme", "checkr"));
  EXPECT_EQ(breaker.try_start("acme", "checkr"), Start::normal);
  EXPECT_EQ(breaker.hold_for("acme", "checkr"), milliseconds(0));
  ASSERT_EQ(changes_.size(), 2u);
  EXPECT_EQ(changes_[1].kind, BreakerChange::Kind::closed);
  EXPECT_EQ(changes_[1].open_for, milliseconds(seconds(35)));  // from opening to closing
}

TEST_F(OutageBreakerTest, AFailedProbeDoublesTheWaitUpToItsLongest) {
  OutageBreaker breaker = make(3, seconds(30), seconds(100));
  fail(breaker, 3);
  std::vector<milliseconds> waits;
  for (int probe = 0; probe < 4; ++probe) {
    now_ += seconds(1000);
    ASSERT_EQ(breaker.try_start("acme", "checkr"), Start::probe);
    breaker.record("acme", "checkr", CallStatus::vendor_unavailable);
    waits.push_back(changes_.back().open_for);
  }
  EXPECT_EQ(waits,
            (std::vector<milliseconds>{seconds(60), seconds(100), seconds(100), seconds(100)}));
  EXPECT_EQ(changes_.size(), 5u);  // opened, then opened again after each failed probe
  EXPECT_EQ(changes_.back().open_for, milliseconds(seconds(100)));
}

TEST_F(OutageBreakerTest, ACallThatStartedBeforeTheBreakerOpenedDoesNotExtendItsWait) {
  OutageBreaker breaker = make(3);
  fail(breaker, 3);
  now_ += seconds(10);
  fail(breaker, 1);  // a job that was already running when it opened
  EXPECT_EQ(breaker.hold_for("acme", "checkr"), milliseconds(seconds(20 + 15)));
  EXPECT_EQ(changes_.size(), 1u);
  // That job's success, though, says the vendor is back.
  breaker.record("acme", "checkr", CallStatus::ok);
  EXPECT_FALSE(breaker.is_open("acme", "checkr"));
}

TEST_F(OutageBreakerTest, AProbeThatMadeNoCallLetsTheNextJobProbe) {
  OutageBreaker breaker = make(3);
  fail(breaker, 3);
  now_ += seconds(30);
  OutageBreaker::ProbeId probe = 0;
  ASSERT_EQ(breaker.try_start("acme", "checkr", &probe), Start::probe);
  breaker.return_probe("acme", "checkr", probe);  // its order was final already, say
  EXPECT_TRUE(breaker.is_open("acme", "checkr"));
  ASSERT_EQ(breaker.try_start("acme", "checkr"), Start::probe);
  // A probe whose plugin failed on its own side tells nothing either.
  breaker.record("acme", "checkr", CallStatus::crashed);
  EXPECT_TRUE(breaker.is_open("acme", "checkr"));
  EXPECT_EQ(breaker.try_start("acme", "checkr"), Start::probe);
}

// A probe whose plugin crashed lets the next job probe at once, and that job may start before
// the first probe's job has given its turn back (its completion's commit claims the next job).
// The first job's return must not end the second's turn: every claim would then probe too.
TEST_F(OutageBreakerTest, AnEndedProbeGivesBackOnlyItsOwnTurn) {
  OutageBreaker breaker = make(3);
  fail(breaker, 3);
  now_ += seconds(30);
  OutageBreaker::ProbeId first = 0;
  ASSERT_EQ(breaker.try_start("acme", "checkr", &first), Start::probe);
  breaker.record("acme", "checkr", CallStatus::crashed);
  OutageBreaker::ProbeId second = 0;
  ASSERT_EQ(breaker.try_start("acme", "checkr", &second), Start::probe);
  EXPECT_NE(first, second);
  breaker.return_probe("acme", "checkr", first);
  EXPECT_EQ(breaker.try_start("acme", "checkr"), Start::held) << "the second probe still runs";
  // And its failure still counts as the probe's: the wait doubles.
  breaker.record("acme", "checkr", CallStatus::timeout);
  ASSERT_EQ(changes_.size(), 2u);
  EXPECT_EQ(changes_.back().open_for, milliseconds(seconds(60)));
  breaker.return_probe("acme", "checkr", second);
  EXPECT_EQ(breaker.try_start("acme", "checkr"), Start::held);
}

TEST_F(OutageBreakerTest, ZeroFailuresNeverOpensIt) {
  OutageBreaker breaker = make(0);
  fail(breaker, 100);
  EXPECT_FALSE(breaker.is_open("acme", "checkr"));
  EXPECT_EQ(breaker.try_start("acme", "checkr"), Start::normal);
  EXPECT_TRUE(changes_.empty());
}

TEST_F(OutageBreakerTest, AResetClosesEveryBreakerAtOnce) {
  OutageBreaker breaker = make(1);
  breaker.record("acme", "checkr", CallStatus::vendor_unavailable);
  breaker.record("globex", "codility", CallStatus::timeout);
  ASSERT_EQ(breaker.open_count(), 2);
  EXPECT_EQ(breaker.reset(), 2);
  EXPECT_EQ(breaker.open_count(), 0);
  EXPECT_EQ(breaker.try_start("acme", "checkr"), Start::normal);
  EXPECT_EQ(breaker.hold_for("acme", "checkr"), milliseconds(0));
}

}  // namespace
}  // namespace ttb::jobs::testing
