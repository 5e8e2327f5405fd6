// How PostgreSQL plans a claim's candidates: with their generic plan, every time. In PostgreSQL's
// default mode a prepared statement whose generic plan is estimated dearer than the plans made
// for its values is planned again on each execution; the candidates' `LIMIT $4` made theirs so,
// and planning them cost more than running them (pg_claim.cc).

#include <string>
#include <vector>

#include "store/pg_connection.h"
#include "store/pg_store.h"
#include "store_fixture.h"

namespace ttb::store::testing {
namespace {

class PgClaimPlansTest : public StoreFixture {
 protected:
  Backend backend() const override { return Backend::postgresql; }
};

TEST_F(PgClaimPlansTest, ACandidatesStatementRunsWithItsGenericPlanAndTheSettingEndsWithTheClaim) {
  auto store = open();
  ASSERT_TRUE(store);
  auto* pg = dynamic_cast<PgStore*>(store.get());
  ASSERT_NE(pg, nullptr);
  for (int i = 0; i < 20; ++i) {
    const std::string id = "order-" + std::to_string(i);
    ASSERT_TRUE(store->accept_order(order(id, "ev-" + id)));
  }

  // The claim's statements on a connection of their own, prepared as a store connection prepares
  // them, each claim in its own transaction (undone: only the plans matter here).
  PgConnection db(url());
  db.prepare_statements();
  ClaimRequest request(clock_.now(), 5);
  request.kinds = ClaimRequest::Kinds::vendor_work;
  const int kClaims = 8;  // past the five custom plans PostgreSQL's default mode starts with
  for (int claim = 0; claim < kClaims; ++claim) {
    db.exec("BEGIN");
    const std::vector<PgStatement> statements = pg->claim_candidates(request);
    std::vector<const PgStatement*> pipeline;
    pipeline.reserve(statements.size());
    for (const auto& statement : statements) pipeline.push_back(&statement);
    const std::vector<PgResult> found = db.exec_pipeline(pipeline);
    EXPECT_EQ(found.back().rows(), 8) << "five wanted and three more, of 20 queued invites";
    db.exec("ROLLBACK");
  }

  auto plans = db.exec(
      "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
      " WHERE statement LIKE '%FOR UPDATE OF j SKIP LOCKED'");
  ASSERT_EQ(plans.rows(), 2) << "the expired leases' statement and the queued jobs' one";
  for (int i = 0; i < plans.rows(); ++i) {
    EXPECT_EQ(plans.int64(i, 0), kClaims);
    EXPECT_EQ(plans.int64(i, 1), 0) << "planned for its values on some claims";
  }
  EXPECT_EQ(db.exec("SHOW plan_cache_mode").text(0, 0), "auto")
      << "the claim's setting outlived its transaction";
}

}  // namespace
}  // namespace ttb::store::testing
