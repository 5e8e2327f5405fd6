// No poison job: a call whose plugin process died counts a death for its job (CallStatus::crashed
// from an isolated plugin; an unfinished call in the in-flight journal for a plugin inside the
// daemon); the second death makes the job a dead letter with that reason, the invitation fails
// with a card the recruiter can read, and the plugin is not called a third time.

#include <fcntl.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "jobs/call_deaths.h"
#include "jobs_fixture.h"
#include "orders/failure_summary.h"

namespace ttb::jobs::testing {
namespace {

using plugins::CallStatus;
using store::JobKind;
using store::JobState;

class CallDeathsTest : public JobsFixture {
 protected:
  std::filesystem::path journal_path() const { return dir_.path() / "ttb.db-inflight"; }
  std::shared_ptr<InflightJournal> open_journal() {
    std::string error;
    std::shared_ptr<InflightJournal> journal = InflightJournal::open(journal_path(), error);
    EXPECT_TRUE(journal) << error;
    return journal;
  }
  std::string journal_text() const {
    std::ifstream in(journal_path());
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
};

TEST_F(CallDeathsTest, TwoCrashedCallsMakeTheInviteADeadLetterAndFailTheCard) {
  provider_->script("create_order", error(CallStatus::crashed, "the plugin host died"));
  provider_->script("create_order", error(CallStatus::crashed, "the plugin host died"));
  accept("pr-1");

  EXPECT_EQ(runner().run_due(), 1);
  auto invite = job_of("pr-1", JobKind::invite);
  EXPECT_EQ(invite->state, JobState::queued) << "a first death is retried";
  EXPECT_EQ(invite->deaths, 1);

  clock_.advance(std::chrono::minutes(5));
  runner().run_due();
  invite = job_of("pr-1", JobKind::invite);
  EXPECT_EQ(invite->state, JobState::dead);
  EXPECT_EQ(invite->deaths, 2);
  EXPECT_NE(invite->last_error.find("the plugin's process died twice during this job's call"),
            std::string::npos)
      << invite->last_error;
  EXPECT_EQ(get("pr-1").status, "failed");
  auto pushed = publisher_.accepted();
  ASSERT_EQ(pushed.size(), 1u);
  EXPECT_EQ(pushed[0].result.status, "failed");
  EXPECT_EQ(pushed[0].result.summary, orders::invite_failure("crashed").summary);

  clock_.advance(std::chrono::hours(1));
  runner().run_due();
  EXPECT_EQ(provider_->requests("create_order").size(), 2u) << "never a third call";
}

TEST_F(CallDeathsTest, AJobWithTwoDeathsIsADeadLetterWithoutACall) {
  accept("pr-1");
  const auto id = job_of("pr-1", JobKind::invite)->id;
  ASSERT_TRUE(store_->count_job_deaths({id, id}));
  runner().run_due();
  auto invite = job_of("pr-1", JobKind::invite);
  EXPECT_EQ(invite->state, JobState::dead);
  EXPECT_EQ(invite->last_error, poison_reason(2));
  EXPECT_TRUE(provider_->requests("create_order").empty());
  EXPECT_EQ(get("pr-1").status, "failed");
}

TEST_F(CallDeathsTest, InDaemonCallsAreJournaledAndEndMatched) {
  auto journal = open_journal();
  options_.steps.inflight_journal = journal;
  provider_->in_daemon_process = true;
  std::string seen_during_call;
  provider_->set_handler("create_order", [&](const std::string&) {
    seen_during_call = journal_text();
    std::promise<plugins::CallResult> p;
    p.set_value(ok(R"({"vendor_order_id":"v-1","status":"sent"})"));
    return p.get_future();
  });
  accept("pr-1");
  runner().run_due();
  const auto id = std::to_string(job_of("pr-1", JobKind::invite)->id);
  EXPECT_EQ(seen_during_call, "+" + id + "\n");
  EXPECT_EQ(journal_text(), "+" + id + "\n-" + id + "\n");
  EXPECT_TRUE(journal->unfinished().empty());
}

TEST_F(CallDeathsTest, CallsOfIsolatedPluginsAreNotJournaled) {
  auto journal = open_journal();
  options_.steps.inflight_journal = journal;
  accept("pr-1");
  runner().run_due();
  EXPECT_EQ(journal_text(), "");
}

TEST_F(CallDeathsTest, AStartFindsTheCallsTheDaemonDiedInAndCountsThem) {
  accept("pr-1");
  accept("pr-2");
  const auto first = job_of("pr-1", JobKind::invite)->id;
  const auto second = job_of("pr-2", JobKind::invite)->id;
  {
    std::ofstream out(journal_path());
    // pr-1's call died twice (two runs), pr-2's ended; a torn last line is skipped.
    out << "+" << first << "\n+" << second << "\n-" << second << "\n+" << first << "\n+12";
  }
  auto journal = open_journal();
  EXPECT_EQ(journal->unfinished(), (std::vector<std::int64_t>{first, first}));
  const RecoveredDeaths recovered = count_calls_died_in(*journal, *store_);
  EXPECT_EQ(recovered.error, "");
  EXPECT_EQ(recovered.job_ids.size(), 2u);
  EXPECT_EQ(journal_text(), "") << "counted once, then emptied";
  EXPECT_EQ(job_of("pr-1", JobKind::invite)->deaths, 2);
  EXPECT_EQ(job_of("pr-2", JobKind::invite)->deaths, 0);

  runner().run_due();
  EXPECT_EQ(job_of("pr-1", JobKind::invite)->state, JobState::dead);
  EXPECT_EQ(get("pr-2").status, "invited");
}

TEST_F(CallDeathsTest, CallbackDeathsAreCountedApartFromJobsAndSurviveAReset) {
  const std::uint64_t crashing = CallbackDeaths::digest_of("acme", "segv", "POST", "", "x");
  const std::uint64_t fine = CallbackDeaths::digest_of("acme", "segv", "POST", "", "{}");
  ASSERT_NE(crashing, fine);
  // Fields end where they end: moving a byte from one field to the next is another callback.
  EXPECT_NE(CallbackDeaths::digest_of("ab", "c", "", "", ""),
            CallbackDeaths::digest_of("a", "bc", "", "", ""));
  auto journal = open_journal();
  journal->started(7);
  { InflightCallback done(journal.get(), fine); }
  journal->callback_started(crashing);  // the daemon died here, twice
  journal->callback_started(crashing);
  EXPECT_EQ(journal->unfinished(), (std::vector<std::int64_t>{7})) << "callback lines are not jobs";
  EXPECT_EQ(journal->unfinished_callbacks(), (std::map<std::uint64_t, int>{{crashing, 2}}));

  CallbackDeaths deaths(journal, journal->unfinished_callbacks());
  EXPECT_TRUE(deaths.refused(crashing));
  EXPECT_FALSE(deaths.refused(fine));
  EXPECT_EQ(journal->reset(), "");
  deaths.write_back();
  EXPECT_EQ(journal->unfinished(), std::vector<std::int64_t>{});
  EXPECT_EQ(journal->unfinished_callbacks(), (std::map<std::uint64_t, int>{{crashing, 2}}))
      << "the next start still knows them";

  EXPECT_EQ(deaths.forgive(), 1u);
  EXPECT_FALSE(deaths.refused(crashing));
  EXPECT_TRUE(journal->unfinished_callbacks().empty()) << "forgiven for the next start too";
}

// Anyone may post a vendor callback, and each adds two lines: the journal is rewritten with the
// starts still open every kCompactAfter bytes, so it does not grow with the daemon's uptime. The
// calls in flight, and those a start found and could not count, survive each rewrite.
TEST_F(CallDeathsTest, TheJournalStaysSmallAndKeepsTheCallsStillOpen) {
  {
    std::ofstream before(journal_path());
    before << "+41\n";  // a call the last start could not count
  }
  auto journal = open_journal();
  const std::uint64_t open_callback = CallbackDeaths::digest_of("acme", "segv", "POST", "", "x");
  journal->callback_started(open_callback);
  journal->started(7);
  for (std::uint64_t i = 0; i < 200'000; ++i) {  // some 10 MB of lines
    journal->callback_started(i);
    journal->callback_ended(i);
    journal->started(static_cast<std::int64_t>(1000 + i));
    journal->ended(static_cast<std::int64_t>(1000 + i));
  }
  EXPECT_LE(std::filesystem::file_size(journal_path()), InflightJournal::kCompactAfter + 64);
  std::vector<std::int64_t> jobs = journal->unfinished();
  std::sort(jobs.begin(), jobs.end());
  EXPECT_EQ(jobs, (std::vector<std::int64_t>{7, 41}));
  EXPECT_EQ(journal->unfinished_callbacks(), (std::map<std::uint64_t, int>{{open_callback, 1}}));
  journal->ended(7);  // lines still go to the journal, at its end
  EXPECT_EQ(journal->unfinished(), (std::vector<std::int64_t>{41}));

  // The rewritten file's descriptor is close-on-exec still: plugin children must not inherit it.
  bool found = false;
  for (const auto& fd : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    if (std::filesystem::read_symlink(fd.path(), ec) != journal_path()) continue;
    found = true;
    std::ifstream info("/proc/self/fdinfo/" + fd.path().filename().string());
    std::string key, flags;
    while (info >> key >> flags && key != "flags:") {
    }
    EXPECT_NE(std::stoul(flags, nullptr, 8) & O_CLOEXEC, 0u) << "flags " << flags;
  }
  EXPECT_TRUE(found) << "no descriptor of this process names " << journal_path();
}

TEST_F(CallDeathsTest, PoisonReasonSaysHowOften) {
  EXPECT_FALSE(is_poison(1));
  EXPECT_TRUE(is_poison(2));
  EXPECT_EQ(poison_reason(2),
            "the plugin's process died twice during this job's call; it is not run again");
  EXPECT_NE(poison_reason(3).find("died 3 times"), std::string::npos);
}

}  // namespace
}  // namespace ttb::jobs::testing
