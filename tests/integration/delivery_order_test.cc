// Order of writes through the real ttbridged: a final result reaches Teamtailor once, and neither a
// redelivered final callback nor a late, older one rewrites it.

#include <sqlite3.h>

#include <gtest/gtest.h>

#include "engine_fixture.h"
#include "fakes/testvendor/fake_testvendor.h"

namespace ttb {
namespace {

using testing::eventually;
using namespace std::chrono_literals;

constexpr const char* kToken = "acme-activation-token-1";

// Push jobs queued or running, read straight from the daemon's SQLite file (WAL: a reader does
// not disturb the daemon).
int pending_pushes(const std::filesystem::path& db_path) {
  sqlite3* db = nullptr;
  int n = -1;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 2000);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db,
                           "SELECT COUNT(*) FROM jobs WHERE kind = 'push' AND state IN "
                           "('queued', 'running')",
                           -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      n = sqlite3_column_int(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return n;
}

TEST(DeliveryOrder, FinalResultIsWrittenOnceAndNeverRewrittenByLateCallbacks) {
  fakes::testvendor::FakeTestVendor vendor;
  testing::EngineOptions options;
  options.tenants = {{"acme.yaml", testing::tenant_yaml("acme", kToken,
                                                        "  - name: testvendor\n    plugin: "
                                                        "testvendor\n    config: " +
                                                            vendor.plugin_config().dump() + "\n")}};
  testing::Engine engine(options);
  ASSERT_TRUE(engine.start()) << engine.log();
  fakes::WebhookParams params;
  params.test = "testvendor:t1";
  auto sent = engine.sender().send(kToken, params);
  ASSERT_EQ(sent.response.status, 202);
  const std::string id = sent.params.partner_result_id;
  ASSERT_TRUE(engine.wait_for_status(id, "sent", 20s)) << engine.log();
  const auto invitation = vendor.invitation_for(id);
  ASSERT_TRUE(invitation);

  fakes::testvendor::Outcome started;
  started.status = "started";
  auto late = vendor.callback(invitation->id, started, "ev-started");
  fakes::testvendor::Outcome completed;
  completed.score = 87;
  completed.summary = "Strong logic";
  auto final_cb = vendor.callback(invitation->id, completed, "ev-completed");
  ASSERT_TRUE(late && final_cb);

  ASSERT_EQ(vendor.deliver(*final_cb).status / 100, 2);
  ASSERT_TRUE(engine.wait_for_status(id, "completed", 20s)) << engine.log();
  // The same final callback again, then the older "started" one arriving late.
  EXPECT_EQ(vendor.deliver(*final_cb).status / 100, 2);
  EXPECT_EQ(vendor.deliver(*late).status / 100, 2);
  // Give the engine every chance to (wrongly) push: wait until no push job is pending.
  ASSERT_TRUE(eventually([&] { return pending_pushes(engine.store_path()) == 0; }));
  int completed_writes = 0;
  std::string last;
  for (const auto& w : engine.teamtailor().writes_for(id)) {
    last = w.attributes.value("status", "");
    if (last == "completed") ++completed_writes;
  }
  EXPECT_EQ(completed_writes, 1);
  EXPECT_EQ(last, "completed");
  EXPECT_EQ(engine.teamtailor().current(id)["assessment"]["score"], 87)
      << engine.teamtailor().current(id).dump();
}

}  // namespace
}  // namespace ttb
