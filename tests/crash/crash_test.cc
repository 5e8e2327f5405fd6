// Crash safety (the kill -9 bar of docs/performance.md): the real ttbridged on a SQLite file, under
// concurrent signed webhooks and Checkr callbacks, is SIGKILLed at random moments, round after
// round, and restarted on the same file. At the end the last incarnation drains, and the fakes'
// records must show that nothing acknowledged was lost and no effect happened twice. See
// docs/reliability.md for the invariants and how to run it for longer (TTB_CRASH_ROUNDS, ...).

#include <signal.h>

#include <chrono>
#include <cstdio>
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
#include "store_snapshot.h"
#include "temp_dir.h"
#include "vendor_view.h"
#include "verdict.h"

namespace ttb::crash {
namespace {

using Clock = std::chrono::steady_clock;
using testing::DaemonProcess;

TEST(CrashSafety, AcknowledgedWorkSurvivesSigkillAtRandomMoments) {
  const CrashSettings settings = CrashSettings::from_env();
  std::printf("[crash] %s\n", settings.describe().c_str());
  const auto began = Clock::now();

  fakes::FakeTeamtailor teamtailor;
  fakes::checkr::FakeCheckr checkr;
  ttb::testing::TempDir dir;
  const std::string config =
      write_crash_config(dir, teamtailor, checkr, "sqlite://" + (dir / "var/ttbridge.db").string());

  Ledger ledger;
  VendorView vendor(checkr);
  std::set<std::string> decided;
  World world = crash_world(settings, ledger, vendor, checkr, teamtailor, &decided);
  std::mt19937_64 rng(settings.seed);
  std::uniform_int_distribution<int> uptime(settings.min_uptime_ms, settings.max_uptime_ms);

  // The rounds: start, load, SIGKILL at a random moment, again on the same file.
  for (int round = 0; round < settings.rounds; ++round) {
    DaemonProcess daemon(config, dir / ("run-" + std::to_string(round)));
    std::filesystem::create_directories(dir / ("run-" + std::to_string(round)));
    ledger.incarnation_started(std::chrono::system_clock::now());
    ASSERT_TRUE(daemon.start()) << "round " << round << ":\n" << daemon.log();
    {
      Load load(world, daemon.base_url(), settings.seed + static_cast<std::uint64_t>(round));
      std::this_thread::sleep_for(std::chrono::milliseconds(uptime(rng)));  // the random moment
      daemon.signal(SIGKILL);
      ledger.killed();
      auto status = daemon.wait_exit();
      ASSERT_TRUE(status.has_value()) << "round " << round << ": the daemon survived SIGKILL";
      ASSERT_EQ(*status, 128 + SIGKILL) << daemon.log();
    }
  }

  // The last incarnation: Checkr redelivers what was never acknowledged; then everything drains.
  const auto final_dir = dir / "run-final";
  std::filesystem::create_directories(final_dir);
  DaemonProcess daemon(config, final_dir);
  ledger.incarnation_started(std::chrono::system_clock::now());
  ASSERT_TRUE(daemon.start()) << daemon.log();
  redeliver_unacked_callbacks(world, daemon.base_url());
  const std::filesystem::path db = dir / "var/ttbridge.db";
  const bool drained =
      wait_until_drained([&db](std::string& error) { return StoreSnapshot::read(db, error); },
                         std::chrono::seconds(120));
  daemon.signal(SIGTERM);
  auto exit_status = daemon.wait_exit(std::chrono::seconds(60));
  EXPECT_EQ(exit_status.value_or(-1), 0) << daemon.log();
  std::string read_error;
  auto snapshot = StoreSnapshot::read(db, read_error);
  ASSERT_TRUE(snapshot.has_value()) << read_error;
  EXPECT_TRUE(drained) << "the last incarnation did not finish its invite and push jobs in time";

  check_invariants({ledger, vendor, checkr, teamtailor, *snapshot, settings.rounds, began, "", ""});
}

}  // namespace
}  // namespace ttb::crash
