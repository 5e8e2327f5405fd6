// The real ttbridged on PostgreSQL: an order goes from Teamtailor's webhook through the test
// vendor's fakes to its final result, with the store in a schema of the test cluster (ctest's
// pg_cluster fixture), and the ttbridge CLI reads and migrates that same store.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "engine_fixture.h"
#include "fakes/testvendor/fake_testvendor.h"
#include "pg_test_schema.h"
#include "store/migrations.h"

namespace ttb {
namespace {

using namespace std::chrono_literals;

constexpr const char* kToken = "acme-activation-token-1";

TEST(PostgresqlDaemon, AnOrderRunsFromWebhookToFinalResultOnPostgresql) {
  const auto database = testing::pg_test_database();
  if (!database.url) {
    if (!database.problem.empty()) FAIL() << database.problem;
    GTEST_SKIP() << "no PostgreSQL for this test: set TTB_TEST_PG_URL, or run it with ctest, "
                    "which starts one (docs/building.md)";
  }
  testing::PgTestSchema schema(*database.url);

  fakes::testvendor::FakeTestVendor vendor;
  testing::EngineOptions options;
  options.store_url = schema.url();
  options.tenants = {{"acme.yaml", testing::tenant_yaml("acme", kToken,
                                                        "  - name: testvendor\n    plugin: "
                                                        "testvendor\n    config: " +
                                                            vendor.plugin_config().dump() + "\n")}};
  testing::Engine engine(options);
  ASSERT_TRUE(engine.start()) << engine.log();

  fakes::WebhookParams params;
  params.test = "testvendor:t1";
  auto sent = engine.sender().send(kToken, params);
  ASSERT_EQ(sent.response.status, 202) << engine.log();
  const std::string id = sent.params.partner_result_id;
  // The same webhook again: the stored answer, no second order.
  EXPECT_EQ(engine.sender().send(kToken, sent.params).response.status, 202);
  ASSERT_TRUE(engine.wait_for_status(id, "sent", 20s)) << engine.log();
  const auto invitation = vendor.invitation_for(id);
  ASSERT_TRUE(invitation);

  fakes::testvendor::Outcome completed;
  completed.score = 91;
  completed.summary = "Solid";
  auto callback = vendor.callback(invitation->id, completed, "ev-completed");
  ASSERT_TRUE(callback);
  ASSERT_EQ(vendor.deliver(*callback).status / 100, 2);
  ASSERT_TRUE(engine.wait_for_status(id, "completed", 20s)) << engine.log();

  const auto order = engine.order(id);
  ASSERT_TRUE(order);
  EXPECT_EQ(order->status, "completed");
  EXPECT_EQ(engine.orders("acme").size(), 1u);
  EXPECT_GE(engine.timeline(id).size(), 3u);

  // The CLI on the daemon's config: the same database, its schema up to date.
  auto [migrated, migrate_exit] =
      engine.cli({"store", "migrate", "--json", "--config", "ttbridged.yaml"});
  ASSERT_EQ(migrate_exit, 0) << migrated;
  EXPECT_EQ(nlohmann::json::parse(migrated)["schema_version"],
            store::migrations(store::Dialect::postgresql).back().version);
  auto [listed, list_exit] = engine.cli({"orders", "list", "--json", "--config", "ttbridged.yaml"});
  ASSERT_EQ(list_exit, 0) << listed;
  EXPECT_NE(listed.find(id), std::string::npos) << listed;

  EXPECT_TRUE(engine.stop()) << engine.log();
}

}  // namespace
}  // namespace ttb
