// apply_change: the one definition of what an OrderChange does to an order, which the store's
// commit and the order service's planning share.

#include "store/change_set.h"
#include "store_fixture.h"

namespace ttb::store::testing {
namespace {

OrderRecord invited_order() {
  OrderRecord o;
  o.id = "pr-1";
  o.status = "invited";
  o.vendor_order_id = "v-1";
  o.vendor_state_json = R"({"k":1})";
  o.result_json = R"({"status":"sent"})";
  o.result_version = 2;
  o.pushed_version = 2;
  o.version = 5;
  return o;
}

TEST(ApplyChangeTest, FieldsTheChangeLeavesOutKeepTheirValues) {
  OrderRecord o = invited_order();
  OrderChange change;
  change.order_id = "pr-1";
  change.status = "failed";
  change.failure_reason = "expired";
  apply_change(o, change);
  EXPECT_EQ(o.status, "failed");
  EXPECT_EQ(o.failure_reason, "expired");
  EXPECT_EQ(o.vendor_order_id, "v-1");
  EXPECT_EQ(o.vendor_state_json, R"({"k":1})");
  EXPECT_EQ(o.result_json, R"({"status":"sent"})");
  EXPECT_EQ(o.result_version, 2);
  EXPECT_EQ(o.pushed_version, 2);
  EXPECT_EQ(o.version, 6);
}

TEST(ApplyChangeTest, EveryChangeBumpsTheVersionEvenATimelineLineAlone) {
  OrderRecord o = invited_order();
  OrderChange change;
  change.timeline.push_back({TimePoint{}, "engine", "note", "hello"});
  apply_change(o, change);
  apply_change(o, change);
  EXPECT_EQ(o.version, 7);
  EXPECT_EQ(o.status, "invited");
}

TEST(ApplyChangeTest, AResultChangeBumpsTheResultVersion) {
  OrderRecord o = invited_order();
  OrderChange change;
  change.result_json = R"({"status":"completed"})";
  change.result_changed = true;
  apply_change(o, change);
  EXPECT_EQ(o.result_json, R"({"status":"completed"})");
  EXPECT_EQ(o.result_version, 3);
  EXPECT_EQ(o.pushed_version, 2);
}

TEST(ApplyChangeTest, AppliedRevisionIsSetOnceThenRisesButNeverFalls) {
  OrderRecord o = invited_order();
  EXPECT_FALSE(o.applied_revision);
  OrderChange change;
  apply_change(o, change);
  EXPECT_FALSE(o.applied_revision);  // a change without one leaves "none yet"
  change.applied_revision = 0;       // 0 is a revision like any other
  apply_change(o, change);
  EXPECT_EQ(o.applied_revision, 0);
  change.applied_revision = 9;
  apply_change(o, change);
  change.applied_revision = 4;
  apply_change(o, change);
  EXPECT_EQ(o.applied_revision, 9);
  change.applied_revision.reset();
  apply_change(o, change);
  EXPECT_EQ(o.applied_revision, 9);
}

TEST(ApplyChangeTest, PushedVersionRisesButNeverFalls) {
  OrderRecord o = invited_order();
  OrderChange change;
  change.pushed_version = 1;
  apply_change(o, change);
  EXPECT_EQ(o.pushed_version, 2);
  change.pushed_version = 4;
  apply_change(o, change);
  EXPECT_EQ(o.pushed_version, 4);
}

class ApplyChangeStoreTest : public StoreContractFixture {};

TEST_P(ApplyChangeStoreTest, TheStoreCommitsExactlyWhatApplyChangeComputes) {
  auto store = open();
  ASSERT_EQ(store->accept_order(order("pr-1", "ev-1"))->outcome, Accepted::Outcome::created);
  OrderRecord expected = *store->get_order("pr-1");

  // Two changes of one order in one set: the second is computed from the first's outcome.
  OrderChange first;
  first.order_id = "pr-1";
  first.expected_version = expected.version;
  first.status = "invited";
  first.vendor_order_id = "v-9";
  first.result_json = R"({"status":"sent"})";
  first.result_changed = true;
  OrderChange second;
  second.order_id = "pr-1";
  second.expected_version = expected.version + 1;
  second.vendor_state_json = R"({"cursor":3})";
  second.pushed_version = 1;
  second.applied_revision = 1'700'000'000'123;
  ChangeSet changes;
  changes.orders = {first, second};
  ASSERT_TRUE(store->commit(changes));

  apply_change(expected, first);
  apply_change(expected, second);
  const OrderRecord stored = *store->get_order("pr-1");
  EXPECT_EQ(stored.status, expected.status);
  EXPECT_EQ(stored.failure_reason, expected.failure_reason);
  EXPECT_EQ(stored.vendor_order_id, expected.vendor_order_id);
  EXPECT_EQ(stored.vendor_state_json, expected.vendor_state_json);
  EXPECT_EQ(stored.result_json, expected.result_json);
  EXPECT_EQ(stored.result_version, expected.result_version);
  EXPECT_EQ(stored.pushed_version, expected.pushed_version);
  EXPECT_EQ(stored.applied_revision, expected.applied_revision);
  EXPECT_EQ(stored.version, expected.version);
}

TTB_FOR_EVERY_STORE(ApplyChangeStoreTest);

}  // namespace
}  // namespace ttb::store::testing
