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

#include "crash_settings.h"
#include "daemon_process.h"
#include "fakes/checkr/fake_checkr.h"
#include "fakes/teamtailor/fake_teamtailor.h"
#include "ledger.h"
#include "load.h"
#include "store_snapshot.h"
#include "temp_dir.h"
#include "vendor_view.h"

namespace ttb::crash {
namespace {

using Clock = std::chrono::steady_clock;
using testing::DaemonProcess;

constexpr const char* kWebhookSecret = "crash-test-webhook-secret";
constexpr const char* kActivationToken = "acme-crash-activation-token";
constexpr int kMaxReports = 20;  // failures printed per invariant; the count says the rest
// A job whose plugin call was in flight at two SIGKILLs is a poison dead letter (the daemon cannot
// tell a kill from a plugin's crash): rare, allowed, but only visibly (its order failed, and the
// card says so).
constexpr const char* kPoisonReason = "the plugin's process died";

// Collects violations of one invariant and reports them once, with a bounded sample.
class Violations {
 public:
  explicit Violations(std::string invariant) : invariant_(std::move(invariant)) {}
  ~Violations() {
    if (count_ > 0) ADD_FAILURE() << invariant_ << ": " << count_ << " violation(s)\n" << sample_;
  }
  void add(const std::string& what) {
    if (++count_ <= kMaxReports) sample_ += "  " + what + "\n";
  }
  int count() const { return count_; }

 private:
  std::string invariant_;
  std::string sample_;
  int count_ = 0;
};

std::string write_config(const ttb::testing::TempDir& dir, const fakes::FakeTeamtailor& tt,
                         const fakes::checkr::FakeCheckr& checkr) {
  std::filesystem::create_directories(dir / "var");
  dir.write("tenants/acme.yaml",
            "id: acme\n"
            "activation_token: \"" +
                std::string(kActivationToken) +
                "\"\n"
                "providers:\n"
                "  - name: checkr\n"
                "    plugin: checkr\n"
                "    config:\n"
                "      api_key: \"" +
                checkr.api_key() +
                "\"\n"
                "      base_url: \"" +
                checkr.base_url() +
                "\"\n"
                "      work_location: { country: US, state: CA, city: San Francisco }\n");
  dir.write("ttbridged.yaml",
            "server:\n"
            "  listen: \"127.0.0.1:0\"\n"
            "  public_url: \"http://127.0.0.1:9\"\n"
            "admin: { listen: \"127.0.0.1:0\" }\n"
            "teamtailor:\n"
            "  api_url: \"" +
                tt.api_url() +
                "\"\n"
                "  api_key: \"" +
                tt.api_key() +
                "\"\n"
                "  webhook_secret: \"" +
                std::string(kWebhookSecret) +
                "\"\n"
                "store: { url: \"sqlite://" +
                (dir / "var/ttbridge.db").string() +
                "\" }\n"
                "plugins: { dir: \"" +
                ttb::testing::plugin_dir().string() +
                "\" }\n"
                "tenants: { dir: \"" +
                (dir / "tenants").string() + "\" }\n");
  return (dir / "ttbridged.yaml").string();
}

TEST(CrashSafety, AcknowledgedWorkSurvivesSigkillAtRandomMoments) {
  const CrashSettings settings = CrashSettings::from_env();
  std::printf("[crash] %s\n", settings.describe().c_str());
  const auto began = Clock::now();

  fakes::FakeTeamtailor teamtailor;
  fakes::checkr::FakeCheckr checkr;
  ttb::testing::TempDir dir;
  const std::string config = write_config(dir, teamtailor, checkr);

  Ledger ledger;
  VendorView vendor(checkr);
  std::set<std::string> decided;
  World world{settings,
              ledger,
              vendor,
              checkr,
              kWebhookSecret,
              teamtailor.api_key(),
              kActivationToken,
              "checkr:basic_criminal",
              "/callbacks/acme/checkr",
              &decided};
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
  for (int attempt = 0; attempt < 50 && !ledger.unacked_callbacks().empty(); ++attempt) {
    for (const auto& record : ledger.unacked_callbacks()) {
      deliver_callback(world, daemon.base_url(), record);
    }
    if (!ledger.unacked_callbacks().empty())
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const std::filesystem::path db = dir / "var/ttbridge.db";
  std::string read_error;
  bool drained = false;
  const auto drain_deadline = Clock::now() + std::chrono::seconds(120);
  while (Clock::now() < drain_deadline) {
    auto snap = StoreSnapshot::read(db, read_error);
    if (snap && snap->drained()) {
      drained = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  daemon.signal(SIGTERM);
  auto exit_status = daemon.wait_exit(std::chrono::seconds(60));
  EXPECT_EQ(exit_status.value_or(-1), 0) << daemon.log();
  auto snapshot = StoreSnapshot::read(db, read_error);
  ASSERT_TRUE(snapshot.has_value()) << read_error;
  EXPECT_TRUE(drained) << "the last incarnation did not finish its invite and push jobs in time";

  // ---- the verdict, from the fakes' records and the store ---------------------------------------
  const auto webhooks = ledger.webhooks();
  const auto callbacks = ledger.callbacks();
  const auto at_vendor = vendor.refresh();
  const auto writes = teamtailor.writes();
  std::map<std::string, std::vector<fakes::PartnerResultWrite>> writes_by_order;
  for (const auto& w : writes) writes_by_order[w.id].push_back(w);

  int acked = 0, unanswered = 0, refused = 0, unanswered_stored = 0;
  std::set<std::string> poisoned;  // orders whose invite died of two deaths during its call
  for (const auto& j : snapshot->jobs) {
    if (j.kind == "invite" && j.state == "dead" &&
        j.last_error.find(kPoisonReason) != std::string::npos) {
      poisoned.insert(j.order_id);
    }
  }
  {
    Violations lost("an acknowledged webhook's order is not in the store");
    Violations refused_stored("a refused (non-2xx) webhook's order is in the store");
    for (const auto& [id, w] : webhooks) {
      const bool stored = snapshot->orders.count(id) > 0;
      switch (w.answer) {
        case Answer::acked:
          ++acked;
          if (!stored) lost.add(id + " (sent " + std::to_string(w.sends) + "x)");
          break;
        case Answer::refused:
          ++refused;
          if (stored) refused_stored.add(id + " (status " + std::to_string(w.last_status) + ")");
          break;
        case Answer::none:
          ++unanswered;
          if (stored) ++unanswered_stored;
          break;
      }
    }
  }
  {
    Violations unknown("an order in the store that the test never sent");
    for (const auto& [id, o] : snapshot->orders) {
      if (!webhooks.count(id)) unknown.add(id);
    }
  }
  {
    Violations invites("a stored order does not have exactly one Checkr invitation");
    Violations candidates("a stored order does not have exactly one Checkr candidate");
    Violations stray("an order that is not stored reached Checkr");
    Violations incomplete("a stored order has no invite job");
    Violations dead("a job died");
    Violations hidden_poison("a poison invite's order is not failed, or its card does not say so");
    for (const auto& [id, o] : snapshot->orders) {
      auto it = at_vendor.find(id);
      const std::size_t n_inv = it == at_vendor.end() ? 0 : it->second.invitations.size();
      const std::size_t n_cand = it == at_vendor.end() ? 0 : it->second.candidates.size();
      // A poison invite may have died before or after Checkr had it: at most one, never two.
      const std::size_t least = poisoned.count(id) ? 0 : 1;
      if (n_inv < least || n_inv > 1)
        invites.add(id + ": " + std::to_string(n_inv) + " invitations, status " + o.status);
      if (n_cand < least || n_cand > 1)
        candidates.add(id + ": " + std::to_string(n_cand) + " candidates");
      if (poisoned.count(id)) {
        auto w = writes_by_order.find(id);
        const bool card_failed = w != writes_by_order.end() &&
                                 w->second.back().attributes.value("status", "") == "failed";
        if (o.status != "failed" || !card_failed) hidden_poison.add(id + ": status " + o.status);
      }
      bool has_invite = false;
      for (const auto& j : snapshot->jobs_of(id)) {
        if (j.kind == "invite") has_invite = true;
        const bool poison = j.kind == "invite" && poisoned.count(id);
        if (j.state == "dead" && !poison)
          dead.add(id + ": " + j.kind + " job " + std::to_string(j.id) + ": " + j.last_error);
      }
      if (!has_invite) incomplete.add(id);
    }
    for (const auto& [order, records] : at_vendor) {
      if (!snapshot->orders.count(order)) {
        stray.add((order.empty() ? std::string("(no custom_id)") : order) + ": " +
                  std::to_string(records.invitations.size()) + " invitations");
      }
    }
    EXPECT_TRUE(vendor.orphans().empty());
    EXPECT_LE(checkr.invitations_created(), static_cast<int>(snapshot->orders.size()));
    EXPECT_GE(checkr.invitations_created(),
              static_cast<int>(snapshot->orders.size() - poisoned.size()))
        << "Checkr created fewer invitations than there are orders not poisoned";
  }

  int callbacks_acked = 0, crash_retried_writes = 0;
  {
    Violations missing("an acknowledged callback's completed result never reached Teamtailor");
    Violations duplicated("a partner-result write repeats the previous one within one incarnation");
    Violations rewritten("a terminal result was rewritten with different attributes");
    Violations no_card("a stored order's result never reached Teamtailor");
    Violations diverged("Teamtailor's last write differs from the order's state in the store");
    for (const auto& [id, c] : callbacks) {
      // A poison invite's order failed visibly (checked above), even if Checkr had it already.
      if (c.answer != Answer::acked || poisoned.count(id)) continue;
      ++callbacks_acked;
      auto it = writes_by_order.find(id);
      bool completed = false;
      if (it != writes_by_order.end()) {
        for (const auto& w : it->second)
          completed |= w.attributes.value("status", "") == "completed";
      }
      if (!completed) missing.add(id);
      auto stored = snapshot->orders.find(id);
      if (stored == snapshot->orders.end() || stored->second.status != "completed") {
        missing.add(
            id + ": store status " +
            (stored == snapshot->orders.end() ? std::string("(missing)") : stored->second.status));
      }
    }
    for (const auto& [id, o] : snapshot->orders) {
      auto it = writes_by_order.find(id);
      if (it == writes_by_order.end()) {
        no_card.add(id + " (status " + o.status + ")");
        continue;
      }
      const auto& list = it->second;
      const nlohmann::json* terminal = nullptr;
      for (std::size_t i = 0; i < list.size(); ++i) {
        const auto& w = list[i];
        if (terminal && w.attributes != *terminal) {
          rewritten.add(id + ": after " + terminal->value("status", "") + " came " +
                        w.attributes.dump());
        }
        if (i > 0 && w.attributes == list[i - 1].attributes) {
          if (ledger.incarnation_at(list[i - 1].at) < ledger.incarnation_at(w.at)) {
            ++crash_retried_writes;  // written, then killed before recording it: sent again
          } else {
            duplicated.add(id + ": write " + std::to_string(i) + " " +
                           w.attributes.value("status", ""));
          }
        }
        const std::string status = w.attributes.value("status", "");
        if (!terminal && (status == "completed" || status == "failed")) terminal = &w.attributes;
      }
      const std::string last = list.back().attributes.value("status", "");
      const bool matches = o.status == "completed" ? last == "completed"
                           : o.status == "failed"  ? last == "failed"
                                                   : last == "sent" || last == "pending";
      if (!matches) {
        std::string line = id;
        line.append(": store ").append(o.status).append(", Teamtailor ").append(last);
        diverged.add(line);
      }
    }
  }

  const double seconds = std::chrono::duration<double>(Clock::now() - began).count();
  std::printf(
      "[crash] rounds=%d kills=%d webhooks=%zu acked=%d refused=%d unanswered=%d "
      "(stored anyway=%d) orders=%zu invitations=%d callbacks=%zu acked=%d teamtailor_writes=%zu "
      "crash_retried_writes=%d poisoned_invites=%zu duration=%.1fs\n",
      settings.rounds, ledger.kills(), webhooks.size(), acked, refused, unanswered,
      unanswered_stored, snapshot->orders.size(), checkr.invitations_created(), callbacks.size(),
      callbacks_acked, writes.size(), crash_retried_writes, poisoned.size(), seconds);
  // The load must have been real, or the invariants above prove nothing.
  EXPECT_GT(acked, 0);
  EXPECT_GT(callbacks_acked, 0);
}

}  // namespace
}  // namespace ttb::crash
