// Crash safety with two daemons on one PostgreSQL database (docs/reliability.md, "Two daemons on
// PostgreSQL"): webhooks and Checkr's callbacks are spread over both. Round after round one of
// them, picked at random, is SIGKILLed at a random moment and restarted; at the end, in the
// middle of a burst, one is killed for good and the other must take over its jobs once their
// lease (jobs.lease_s: 3) has run out. The ledger, the load and the invariants are those of the
// SQLite test (crash_test.cc); the store is a fresh schema of ctest's test cluster.

#include <signal.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "crash_config.h"
#include "crash_settings.h"
#include "daemon_process.h"
#include "fakes/checkr/fake_checkr.h"
#include "fakes/teamtailor/fake_teamtailor.h"
#include "ledger.h"
#include "load.h"
#include "pg_test_schema.h"
#include "store_snapshot.h"
#include "temp_dir.h"
#include "vendor_view.h"
#include "verdict.h"

namespace ttb::crash {
namespace {

using Clock = std::chrono::steady_clock;
using testing::DaemonProcess;

// Short, so that the lost daemon's jobs are taken over within the test; every job of this test
// (a Checkr call or a Teamtailor write to a fake on loopback) takes far less.
constexpr int kLeaseSeconds = 3;
// How late the Teamtailor fake may stamp a write a killed daemon sent (see Pair::kill); shorter
// than the lease, so no takeover comes before it.
constexpr auto kWriteStampLag = std::chrono::seconds(1);

// Two daemons on one config and one database; each (re)start gets a work dir of its own.
class Pair {
 public:
  Pair(std::string config, const ttb::testing::TempDir& dir, Ledger& ledger)
      : config_(std::move(config)), dir_(dir), ledger_(ledger) {}

  bool start(int which) {
    const auto workdir = dir_ / (std::string(which == 0 ? "a-" : "b-") + std::to_string(starts_++));
    std::filesystem::create_directories(workdir);
    daemons_[which] = std::make_unique<DaemonProcess>(config_, workdir);
    ledger_.incarnation_started(std::chrono::system_clock::now());
    return daemons_[which]->start();
  }
  // SIGKILL; the exit status it died with (nullopt: it survived). From shortly after the kill
  // the other daemon may redo a write the victim made and had not recorded, once the victim's
  // lease has ended: that is the boundary for invariant 8, not the victim's restart, which on a
  // loaded machine came later than the takeover. Not the kill itself either: the Teamtailor fake
  // timestamps a write when it handles it, so the victim's last write, sent before the kill,
  // can be stamped just after it. So it is drawn kWriteStampLag after the kill, before any lease
  // of the victim can end.
  std::optional<int> kill(int which) {
    daemons_[which]->signal(SIGKILL);
    ledger_.incarnation_started(std::chrono::system_clock::now() + kWriteStampLag);
    ledger_.killed();
    auto status = daemons_[which]->wait_exit();
    fenced_ += static_cast<int>(daemons_[which]->events("job_fenced").size());
    return status;
  }
  DaemonProcess& operator[](int which) { return *daemons_[which]; }
  std::vector<std::string> urls() const {
    return {daemons_[0]->base_url(), daemons_[1]->base_url()};
  }
  // job_fenced lines logged so far by the daemons killed (and, after count_fenced, the rest).
  int fenced() const { return fenced_; }
  void count_fenced(int which) {
    fenced_ += static_cast<int>(daemons_[which]->events("job_fenced").size());
  }

 private:
  std::string config_;
  const ttb::testing::TempDir& dir_;
  Ledger& ledger_;
  std::array<std::unique_ptr<DaemonProcess>, 2> daemons_;
  int starts_ = 0;
  int fenced_ = 0;
};

TEST(CrashSafetyPostgresql, TwoDaemonsKeepAcknowledgedWorkThroughSigkillsAndALostDaemon) {
  const auto database = ttb::testing::pg_test_database();
  if (!database.url) {
    if (!database.problem.empty()) FAIL() << database.problem;
    GTEST_SKIP() << "no PostgreSQL for this test: set TTB_TEST_PG_URL, or run it with ctest, "
                    "which starts one (docs/building.md)";
  }
  ttb::testing::PgTestSchema schema(*database.url);
  const CrashSettings settings = CrashSettings::from_env();
  std::printf("[crash] postgresql, 2 daemons, lease %ds: %s\n", kLeaseSeconds,
              settings.describe().c_str());
  const auto began = Clock::now();

  fakes::FakeTeamtailor teamtailor;
  fakes::checkr::FakeCheckr checkr;
  ttb::testing::TempDir dir;
  const std::string config =
      write_crash_config(dir, teamtailor, checkr, schema.url(),
                         "jobs: { lease_s: " + std::to_string(kLeaseSeconds) + " }\n");

  Ledger ledger;
  VendorView vendor(checkr);
  std::set<std::string> decided;
  World world = crash_world(settings, ledger, vendor, checkr, teamtailor, &decided);
  std::mt19937_64 rng(settings.seed);
  std::uniform_int_distribution<int> uptime(settings.min_uptime_ms, settings.max_uptime_ms);
  const auto pause = [&] { std::this_thread::sleep_for(std::chrono::milliseconds(uptime(rng))); };

  Pair pair(config, dir, ledger);
  ASSERT_TRUE(pair.start(0)) << pair[0].log();
  ASSERT_TRUE(pair.start(1)) << pair[1].log();

  // The rounds: both under load, one of them SIGKILLed at a random moment and started again; the
  // other runs on, and takes over the victim's interrupted jobs once their lease has run out.
  for (int round = 0; round < settings.rounds; ++round) {
    const int victim = static_cast<int>(rng() % 2);
    {
      Load load(world, pair.urls(), settings.seed + static_cast<std::uint64_t>(round));
      pause();  // the random moment
      auto status = pair.kill(victim);
      ASSERT_TRUE(status.has_value()) << "round " << round << ": the daemon survived SIGKILL";
      ASSERT_EQ(*status, 128 + SIGKILL) << pair[victim].log();
    }
    ASSERT_TRUE(pair.start(victim)) << "round " << round << ":\n" << pair[victim].log();
  }

  // The last burst: one daemon dies for good in the middle of it; the burst goes on against both
  // (what a load balancer does until its health check notices), and the survivor inherits the
  // lost daemon's jobs.
  const int lost = static_cast<int>(rng() % 2);
  const int survivor = 1 - lost;
  {
    Load load(world, pair.urls(), settings.seed + static_cast<std::uint64_t>(settings.rounds));
    pause();
    auto status = pair.kill(lost);
    ASSERT_EQ(status.value_or(-1), 128 + SIGKILL) << pair[lost].log();
    pause();
  }
  redeliver_unacked_callbacks(world, pair[survivor].base_url());
  const std::string url = schema.url();
  const SnapshotReader read = [&url](std::string& error) {
    return StoreSnapshot::read_postgresql(url, error);
  };
  const bool drained = wait_until_drained(read, std::chrono::seconds(120));
  pair[survivor].signal(SIGTERM);
  auto exit_status = pair[survivor].wait_exit(std::chrono::seconds(60));
  EXPECT_EQ(exit_status.value_or(-1), 0) << pair[survivor].log();
  pair.count_fenced(survivor);
  std::string read_error;
  auto snapshot = read(read_error);
  ASSERT_TRUE(snapshot.has_value()) << read_error;
  EXPECT_TRUE(drained) << "the survivor did not finish the invite and push jobs in time";

  check_invariants({ledger, vendor, checkr, teamtailor, *snapshot, settings.rounds, began,
                    "postgresql 2 daemons: ", " fenced=" + std::to_string(pair.fenced())});
  // The daemons' logs of a failed run, for a look at what each did (docs/reliability.md).
  if (const char* keep = std::getenv("TTB_CRASH_KEEP"); keep && ::testing::Test::HasFailure()) {
    std::filesystem::copy(dir.path(), keep, std::filesystem::copy_options::recursive);
  }
}

}  // namespace
}  // namespace ttb::crash
