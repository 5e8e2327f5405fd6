// The first statistics of a new PostgreSQL database: the store analyzes a table that has none
// once it holds rows, so that the statements it prepared on a nearly empty table are planned
// again (pg_first_statistics.h).

#include <chrono>
#include <string>
#include <thread>

#include "store/pg_first_statistics.h"
#include "store/pg_store.h"
#include "store_fixture.h"

namespace ttb::store::testing {
namespace {

class PgFirstStatisticsTest : public StoreFixture {
 protected:
  Backend backend() const override { return Backend::postgresql; }

  // Whether `table` of the test's schema has been analyzed by an ANALYZE statement (the store's),
  // not by autovacuum.
  bool analyzed_by_the_store(const std::string& table) {
    return count_rows(
               "SELECT count(*) FROM pg_stat_user_tables WHERE schemaname = "
               "current_schema() AND relname = '" +
               table + "' AND last_analyze IS NOT NULL") == 1;
  }

  // Prepares the read that finishes a job (PgStore::commit) on the test's connection, as a store
  // connection prepares it, with the generic plan that such a connection keeps.
  void prepare_finishing_read() {
    auto& db = pg_->admin();
    db.exec("SET plan_cache_mode = force_generic_plan");
    db.exec("PREPARE finishing(bigint, bigint) AS " + pg_finishing_read_sql());
  }

  // The plan the prepared read runs with now.
  std::string finishing_read_plan() {
    auto rows = pg_->admin().exec("EXPLAIN EXECUTE finishing(1, 0)");
    std::string plan;
    for (int i = 0; i < rows.rows(); ++i) plan += rows.text(i, 0) + "\n";
    return plan;
  }
};

TEST_F(PgFirstStatisticsTest, ATableIsAnalyzedOnceItHoldsRowsAndPlansMadeWhenItWasEmptyAreRemade) {
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_FALSE(analyzed_by_the_store("jobs")) << "nothing to analyze in an empty table";
  // Planned on the empty table, as a store connection plans it in a new database's first
  // seconds. (PostgreSQL 15 picks the index of jobs by state and tenant here.)
  prepare_finishing_read();
  const std::string empty_table_plan = finishing_read_plan();

  // Each accepted order adds a queued invite job.
  for (int i = 0; i < 3 * kFirstStatisticsRows / 2; ++i) {
    const std::string id = "order-" + std::to_string(i);
    ASSERT_TRUE(store->accept_order(order(id, "ev-" + id, "tenant-" + std::to_string(i % 50))));
  }
  // PostgreSQL counts a table's rows for its statistics views about once a second.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!(analyzed_by_the_store("jobs") && analyzed_by_the_store("orders")) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(analyzed_by_the_store("jobs"));
  EXPECT_TRUE(analyzed_by_the_store("orders"));

  // The statistics made the prepared read plan itself again, for the table as it is now.
  const std::string plan = finishing_read_plan();
  EXPECT_NE(plan.find("jobs_by_order"), std::string::npos) << "planned when the table was empty:\n"
                                                           << empty_table_plan << "now:\n"
                                                           << plan;
  EXPECT_EQ(plan.find("jobs_by_state_tenant"), std::string::npos)
      << "each finish walks every queued job of every order:\n"
      << plan;
}

}  // namespace
}  // namespace ttb::store::testing
