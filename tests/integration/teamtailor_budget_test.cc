// Teamtailor writes are never starved by vendor work: through the real ttbridged, a burst of one
// tenant's orders against a slow vendor gets its `sent` cards written while the invitations are
// still being made, not after the last one (docs/architecture.md, "The path of a job").

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "engine_fixture.h"
#include "fakes/testvendor/fake_testvendor.h"

namespace ttb {
namespace {

using namespace std::chrono_literals;

constexpr const char* kToken = "acme-activation-token-1";
constexpr int kOrders = 200;

TEST(TeamtailorBudget, SentCardsAreWrittenWhileABurstOfInvitationsIsStillRunning) {
  fakes::testvendor::FakeTestVendor vendor;
  testing::EngineOptions options;
  options.tenants = {{"acme.yaml", testing::tenant_yaml("acme", kToken,
                                                        "  - name: testvendor\n    plugin: "
                                                        "testvendor\n    config: " +
                                                            vendor.plugin_config().dump() + "\n")}};
  testing::Engine engine(options);
  ASSERT_TRUE(engine.start()) << engine.log();

  // The whole burst is queued before the first invitation is answered, so every invite job is
  // due before any push job: only a budget of their own lets the pushes through early.
  vendor.hold_invites(true);
  vendor.set_invite_pause(20ms);
  std::atomic<int> next{0};
  std::atomic<int> accepted{0};
  std::vector<std::thread> senders;
  senders.reserve(4);
  for (int t = 0; t < 4; ++t) {
    senders.emplace_back([&] {
      for (int k; (k = next++) < kOrders;) {
        fakes::WebhookParams params;
        params.test = "testvendor:t1";
        params.email = "burst" + std::to_string(k) + "@example.org";
        params.candidate_id = 5000 + k;
        if (engine.sender().send(kToken, params).response.status == 202) ++accepted;
      }
    });
  }
  for (auto& t : senders) t.join();
  ASSERT_EQ(accepted.load(), kOrders);
  vendor.hold_invites(false);

  // Every order gets its invitation and its `sent` card.
  ASSERT_TRUE(engine.teamtailor().wait_for(
      [](const std::vector<fakes::PartnerResultWrite>& writes) {
        return std::count_if(writes.begin(), writes.end(), [](const auto& w) {
                 return w.attributes.value("status", "") == "sent";
               }) >= kOrders;
      },
      std::chrono::steady_clock::now() + 120s))
      << engine.log();
  const auto invitations = vendor.invitations();
  ASSERT_EQ(invitations.size(), static_cast<std::size_t>(kOrders));

  // The first `sent` card reached Teamtailor before the 100th invitation was made.
  const auto writes = engine.teamtailor().writes();
  const auto first_sent = std::find_if(writes.begin(), writes.end(), [](const auto& w) {
    return w.attributes.value("status", "") == "sent";
  });
  ASSERT_NE(first_sent, writes.end());
  const auto invited_before_first_card =
      std::count_if(invitations.begin(), invitations.end(),
                    [&](const auto& invitation) { return invitation.made_at < first_sent->at; });
  EXPECT_LT(invited_before_first_card, kOrders / 2)
      << "invitations made before the first sent card was written";
}

}  // namespace
}  // namespace ttb
