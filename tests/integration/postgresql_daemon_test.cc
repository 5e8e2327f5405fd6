// The real ttbridged on PostgreSQL: an order goes from Teamtailor's webhook through the test
// vendor's fakes to its final result, with the store in a schema of the test cluster (ctest's
// pg_cluster fixture), and the ttbridge CLI reads and migrates that same store; /readyz and the
// webhook route through an outage of that database.

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

// A login role of the daemon's own on the test schema, so that a test can make a database outage
// for that daemon alone: refuse the role log-ins and end its sessions, then let it back in.
class DaemonRole {
 public:
  explicit DaemonRole(testing::PgTestSchema& schema)
      : admin_(schema.admin()), name_(schema.name() + "_daemon") {
    admin_.exec("CREATE ROLE " + name_ + " LOGIN");
    admin_.exec("GRANT ALL ON SCHEMA " + schema.name() + " TO " + name_);
  }
  // Declared before the daemon, so that it goes after the daemon has stopped.
  ~DaemonRole() {
    try {
      admin_.exec("DROP OWNED BY " + name_ + " CASCADE");
      admin_.exec("DROP ROLE " + name_);
    } catch (const store::PgError& e) {
      ADD_FAILURE() << "dropping role " << name_ << ": " << e.what();
    }
  }
  DaemonRole(const DaemonRole&) = delete;
  DaemonRole& operator=(const DaemonRole&) = delete;

  std::string store_url(const testing::PgTestSchema& schema) const {
    return schema.url() + "&user=" + name_;
  }
  void cut_off() {
    admin_.exec("ALTER ROLE " + name_ + " NOLOGIN");
    admin_.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1",
                store::PgParams().add(name_));
  }
  void let_in() { admin_.exec("ALTER ROLE " + name_ + " LOGIN"); }

 private:
  store::PgConnection& admin_;
  std::string name_;
};

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

// /readyz follows the database: a daemon whose PostgreSQL refuses it is not ready, and is ready
// again once the database lets it back in, with no restart. The outage is made for this test
// alone: the store logs in as a role of its own, which is then refused log-ins and cut off.
TEST(PostgresqlDaemon, ReadyzFailsWhileTheDatabaseRefusesTheDaemon) {
  const auto database = testing::pg_test_database();
  if (!database.url) {
    if (!database.problem.empty()) FAIL() << database.problem;
    GTEST_SKIP() << "no PostgreSQL for this test: set TTB_TEST_PG_URL, or run it with ctest";
  }
  testing::PgTestSchema schema(*database.url);
  DaemonRole role(schema);

  testing::EngineOptions options;
  options.store_url = role.store_url(schema);
  options.tenants = {{"acme.yaml", testing::tenant_yaml("acme", kToken, "")}};
  auto engine = std::make_unique<testing::Engine>(options);
  ASSERT_TRUE(engine->start()) << engine->log();
  EXPECT_EQ(engine->admin_request("GET", "/readyz").status, 200) << engine->log();

  role.cut_off();
  const auto refused = engine->admin_request("GET", "/readyz");
  EXPECT_EQ(refused.status, 503);
  EXPECT_NE(refused.body.find("the store is unavailable"), std::string::npos) << refused.body;
  EXPECT_NE(refused.body.find("not permitted to log in"), std::string::npos) << refused.body;
  EXPECT_EQ(engine->request("GET", "/healthz").status, 200) << "alive, though not ready";

  role.let_in();
  EXPECT_EQ(engine->admin_request("GET", "/readyz").status, 200) << engine->log();

  EXPECT_TRUE(engine->stop()) << engine->log();
}

// A database outage as webhooks arrive: each is answered 503, never acknowledged, and nothing of
// it is stored; the order acknowledged before the outage keeps its invitation; and once the
// database lets the daemon back in, with no restart, the refused webhooks sent again are stored
// and invited once each. (Teamtailor does not retry a refused webhook; the recruiter sends again.)
TEST(PostgresqlDaemon, WebhooksDuringADatabaseOutageAre503AndNothingAcknowledgedIsLost) {
  const auto database = testing::pg_test_database();
  if (!database.url) {
    if (!database.problem.empty()) FAIL() << database.problem;
    GTEST_SKIP() << "no PostgreSQL for this test: set TTB_TEST_PG_URL, or run it with ctest";
  }
  testing::PgTestSchema schema(*database.url);
  DaemonRole role(schema);

  fakes::testvendor::FakeTestVendor vendor;
  testing::EngineOptions options;
  options.store_url = role.store_url(schema);
  options.tenants = {{"acme.yaml", testing::tenant_yaml("acme", kToken,
                                                        "  - name: testvendor\n    plugin: "
                                                        "testvendor\n    config: " +
                                                            vendor.plugin_config().dump() + "\n")}};
  auto engine = std::make_unique<testing::Engine>(options);
  ASSERT_TRUE(engine->start()) << engine->log();
  fakes::WebhookParams params;
  params.test = "testvendor:t1";
  auto before = engine->sender().send(kToken, params);
  ASSERT_EQ(before.response.status, 202) << engine->log();
  const std::string acked = before.params.partner_result_id;
  ASSERT_TRUE(engine->wait_for_status(acked, "sent", 20s)) << engine->log();

  role.cut_off();
  std::vector<fakes::WebhookParams> refused;
  for (int i = 0; i < 3; ++i) {
    auto sent = engine->sender().send(kToken, params);
    EXPECT_EQ(sent.response.status, 503) << sent.response.body;
    refused.push_back(sent.params);
  }
  EXPECT_EQ(engine->request("GET", "/healthz").status, 200) << "alive through the outage";

  role.let_in();
  for (const auto& webhook : refused) {
    EXPECT_FALSE(engine->order(webhook.partner_result_id)) << "a refused webhook was stored";
  }
  for (const auto& webhook : refused) {
    auto again = engine->sender().send(kToken, webhook);
    EXPECT_EQ(again.response.status, 202) << again.response.body;
    EXPECT_TRUE(engine->wait_for_status(webhook.partner_result_id, "sent", 20s)) << engine->log();
  }
  EXPECT_EQ(engine->orders("acme").size(), 1u + refused.size());
  EXPECT_TRUE(vendor.invitation_for(acked));
  EXPECT_TRUE(engine->order(acked)) << "the order acknowledged before the outage";

  EXPECT_TRUE(engine->stop()) << engine->log();
}

}  // namespace
}  // namespace ttb
