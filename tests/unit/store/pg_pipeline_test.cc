// PgConnection::exec_pipeline against the test cluster: statements sent together answer in order,
// a failure skips the rest and leaves the connection usable, and a connection that breaks
// mid-pipeline is made again rather than left half in pipeline mode.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "pg_test_schema.h"
#include "store/pg_connection.h"

namespace ttb::store {
namespace {

class PgPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto database = ttb::testing::pg_test_database();
    if (!database.url) {
      if (!database.problem.empty()) FAIL() << database.problem;
      GTEST_SKIP() << "no PostgreSQL for this test: set TTB_TEST_PG_URL, or run it with ctest";
    }
    schema_ = std::make_unique<ttb::testing::PgTestSchema>(*database.url);
    schema_->admin().exec("CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL)");
    db_ = std::make_unique<PgConnection>(schema_->url());
    db_->prepare_statements();
  }

  static PgStatement insert(int id, const std::string& name) {
    PgStatement statement{"INSERT INTO items (id, name) VALUES ($1, $2)", {}};
    statement.params.add(id).add(name);
    return statement;
  }

  int count_items() {
    return static_cast<int>(db_->exec("SELECT count(*) FROM items").int64(0, 0));
  }

  std::unique_ptr<ttb::testing::PgTestSchema> schema_;
  std::unique_ptr<PgConnection> db_;
};

TEST_F(PgPipelineTest, StatementsRunInOrderInOneTransactionAndAnswerInOrder) {
  const PgStatement begin{"BEGIN", {}};
  const PgStatement first = insert(1, "one");
  const PgStatement second = insert(2, "two");  // the same text: prepared once, run twice
  PgStatement count{"SELECT count(*), max(name) FROM items WHERE id <= $1", {}};
  count.params.add(2);
  const auto results = db_->exec_pipeline({&begin, &first, &second, &count});

  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[1].affected(), 1);
  EXPECT_EQ(results[2].affected(), 1);
  EXPECT_EQ(results[3].int64(0, 0), 2);  // the SELECT saw both inserts before it
  EXPECT_EQ(results[3].text(0, 1), "two");
  EXPECT_TRUE(db_->in_transaction());  // BEGIN's transaction stays open for the caller
  db_->exec("COMMIT");
  EXPECT_EQ(count_items(), 2);
  // The statements prepared in the pipeline serve the plain calls after it.
  db_->exec("INSERT INTO items (id, name) VALUES ($1, $2)", PgParams().add(3).add("three"));
  EXPECT_EQ(count_items(), 3);
}

TEST_F(PgPipelineTest, AFailureSkipsTheRestAndTheConnectionGoesOn) {
  const PgStatement begin{"BEGIN", {}};
  const PgStatement first = insert(1, "one");
  const PgStatement again = insert(1, "again");         // the same key: a unique violation
  PgStatement after{"UPDATE items SET name = $1", {}};  // new text, after the failure
  after.params.add("skipped");
  try {
    db_->exec_pipeline({&begin, &first, &again, &after});
    FAIL() << "a pipeline with a unique violation succeeded";
  } catch (const PgError& e) {
    EXPECT_TRUE(e.is_unique_violation()) << e.what();
    EXPECT_FALSE(e.connection_lost());
  }
  // Out of pipeline mode, in the failed transaction, which rolls back.
  EXPECT_TRUE(db_->in_transaction());
  db_->exec("ROLLBACK");
  EXPECT_EQ(count_items(), 0);
  // The skipped statement was never prepared: it runs (and is prepared) now.
  db_->exec("INSERT INTO items (id, name) VALUES (7, 'seven')");
  const auto results = db_->exec_pipeline({&after});
  EXPECT_EQ(results[0].affected(), 1);
  EXPECT_EQ(db_->exec("SELECT name FROM items WHERE id = 7").text(0, 0), "skipped");
}

TEST_F(PgPipelineTest, AConnectionThatBreaksMidPipelineIsMadeAgain) {
  const auto pid = db_->exec("SELECT pg_backend_pid()").int64(0, 0);
  schema_->admin().exec("SELECT pg_terminate_backend(" + std::to_string(pid) + ")");
  const PgStatement begin{"BEGIN", {}};
  const PgStatement first = insert(1, "one");
  try {
    db_->exec_pipeline({&begin, &first});
    FAIL() << "a pipeline on a terminated connection succeeded";
  } catch (const PgError& e) {
    EXPECT_TRUE(e.connection_lost()) << e.what();
  }
  // A new session: no transaction, nothing prepared, and it works.
  EXPECT_FALSE(db_->in_transaction());
  EXPECT_NE(db_->exec("SELECT pg_backend_pid()").int64(0, 0), pid);
  EXPECT_EQ(db_->exec_pipeline({&first})[0].affected(), 1);
  EXPECT_EQ(count_items(), 1);
}

}  // namespace
}  // namespace ttb::store
