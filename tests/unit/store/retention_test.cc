// Retention in the store: what purge_expired removes from finished orders past the window, what
// it keeps (open orders keep everything; finished ones keep id, status and result), and that it
// works in batches of at most max_rows rows.

#include "store_fixture.h"

namespace ttb::store::testing {
namespace {

using std::chrono::hours;

constexpr auto kDay = hours(24);

class RetentionStoreTest : public OpenStoreContractFixture {
 protected:
  void SetUp() override {
    OpenStoreContractFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    for (const char* id : {"open", "done", "gone"}) {
      const std::string event = std::string("ev-") + id;
      ASSERT_TRUE(store_->record_webhook_sighting({event, "digest"}) == SightingOutcome::first);
      ASSERT_TRUE(store_->accept_order(order(id, event)));
    }
    auto claimed = store_->claim_due_jobs({clock_.now(), 10, {}});
    ASSERT_TRUE(claimed);
    for (const auto& job : *claimed) ASSERT_TRUE(store_->finish_job(job));
    set_status("open", "invited");
    set_status("done", "completed");
    set_status("gone", "failed");
  }

  void set_status(const std::string& id, const std::string& status) {
    auto o = store_->get_order(id);
    ASSERT_TRUE(o);
    ChangeSet changes;
    OrderChange change;
    change.order_id = id;
    change.expected_version = o->version;
    change.status = status;
    change.result_json = R"({"status":")" + status + R"("})";
    change.timeline.push_back({{}, "vendor", status, "now " + status});
    changes.orders.push_back(change);
    ASSERT_TRUE(store_->commit(changes));
  }

  PurgeRequest window(int days, int max_rows = 500) {
    PurgeRequest request;
    request.finished_before = clock_.now() - kDay * days;
    request.finished_statuses = {"completed", "failed"};
    request.max_rows = max_rows;
    return request;
  }

  Purged purge_all(const PurgeRequest& request) {
    Purged sum;
    for (int i = 0; i < 100; ++i) {
      auto purged = store_->purge_expired(request);
      EXPECT_TRUE(purged) << purged.error().message;
      if (!purged || purged->total() == 0) break;
      sum.orders += purged->orders;
      sum.timeline_lines += purged->timeline_lines;
      sum.jobs += purged->jobs;
      sum.event_keys += purged->event_keys;
      sum.old_event_keys += purged->old_event_keys;
    }
    return sum;
  }

  int count(const std::string& sql) { return count_rows(sql); }
};

TEST_P(RetentionStoreTest, NothingIsPurgedInsideTheWindow) {
  ASSERT_TRUE(store_->record_callback_event({"acme", "codility", "cb-1"}));
  clock_.advance(kDay * 89);
  auto purged = store_->purge_expired(window(90));
  ASSERT_TRUE(purged) << purged.error().message;
  EXPECT_EQ(purged->total(), 0);
  EXPECT_NE(store_->get_order("done")->candidate_json.find("ada@example.org"), std::string::npos);
  EXPECT_EQ(store_->timeline("done")->size(), 2u);
  EXPECT_TRUE(store_->record_callback_event({"acme", "codility", "cb-1"}) == false);
}

TEST_P(RetentionStoreTest, FinishedOrdersLoseCandidateDataTimelineDoneJobsAndEventKeys) {
  ASSERT_TRUE(store_->record_webhook_sighting({"ev-stray", "x"}) == SightingOutcome::first);
  ASSERT_TRUE(store_->record_callback_event({"acme", "codility", "cb-1"}));
  clock_.advance(kDay * 91);
  const Purged purged = purge_all(window(90));
  EXPECT_EQ(purged.orders, 2);
  EXPECT_EQ(purged.timeline_lines, 4);  // received + status line, of each finished order
  EXPECT_EQ(purged.jobs, 2);            // their done invites
  EXPECT_EQ(purged.event_keys, 4);      // their event ids and sightings
  EXPECT_EQ(purged.old_event_keys, 2);  // the stray sighting and the callback event id

  for (const char* id : {"done", "gone"}) {
    auto o = store_->get_order(id);
    ASSERT_TRUE(o);
    EXPECT_EQ(o->candidate_json, R"({"id":"1001"})") << id;  // name, email, phone are gone
    EXPECT_EQ(o->status, id == std::string("done") ? "completed" : "failed");
    EXPECT_NE(o->result_json.find(o->status), std::string::npos);
    EXPECT_EQ(o->answer_body, std::string("accepted ") + id);
    EXPECT_TRUE(store_->timeline(id)->empty());
    EXPECT_TRUE(store_->list_jobs({false, "", id, 100})->empty());
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM webhook_events WHERE order_id <> 'open'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM webhook_sightings WHERE event_id <> 'ev-open'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM callback_events"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM orders WHERE candidate_json LIKE '%Lovelace%'"), 1);

  // The open order keeps everything, however old.
  auto open_order = store_->get_order("open");
  EXPECT_NE(open_order->candidate_json.find("ada@example.org"), std::string::npos);
  EXPECT_EQ(store_->timeline("open")->size(), 2u);
  EXPECT_EQ(store_->list_jobs({false, "", "open", 100})->size(), 1u);
  EXPECT_TRUE(store_->record_webhook_sighting({"ev-open", "other"}) == SightingOutcome::accepted);
  EXPECT_EQ(store_->accept_order(order("open", "ev-open"))->outcome, Accepted::Outcome::duplicate);

  // A second purge finds nothing left: each order is purged once.
  auto again = store_->purge_expired(window(90));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->total(), 0);
}

TEST_P(RetentionStoreTest, EachCallTouchesAtMostMaxRowsBeyondOneOrder) {
  clock_.advance(kDay * 91);
  auto first = store_->purge_expired(window(90, 1));
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->orders, 1);  // one order (and its own rows) per call of one row
  auto second = store_->purge_expired(window(90, 1));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->orders, 1);
  auto third = store_->purge_expired(window(90, 1));
  ASSERT_TRUE(third);
  EXPECT_EQ(third->orders, 0);
}

TEST_P(RetentionStoreTest, APurgeThatCannotCommitIsAnErrorAndPurgesNothing) {
  store_.reset();
  StoreOptions options;
  options.before_commit = [] { return std::optional<std::string>("disk full (injected)"); };
  auto failing = open(std::move(options));
  clock_.advance(kDay * 91);
  auto purged = failing->purge_expired(window(90));
  ASSERT_FALSE(purged);
  EXPECT_EQ(purged.error().code, Error::Code::unavailable);
  EXPECT_EQ(count("SELECT COUNT(*) FROM orders WHERE purged_at IS NOT NULL"), 0);
}

// Retention deletes rows of several tables by their order, one order at a time, on the writer:
// a table it cannot reach by an index on the order's key is read whole for each order purged.
// The key is order_id on PostgreSQL and order_seq on SQLite (migration 15).
TEST_P(RetentionStoreTest, EveryTableWithAnOrderKeyHasAnIndexLeadingWithIt) {
  const std::string unindexed =
      GetParam() == Backend::sqlite
          ? "SELECT count(*) FROM sqlite_master m, pragma_table_info(m.name) c "
            "WHERE m.type = 'table' AND c.name = 'order_seq' AND NOT EXISTS "
            "(SELECT 1 FROM pragma_index_list(m.name) l, pragma_index_info(l.name) i "
            " WHERE l.partial = 0 AND i.seqno = 0 AND i.name = 'order_seq')"
          : "SELECT count(*) FROM information_schema.columns c "
            "WHERE c.table_schema = current_schema() AND c.column_name = 'order_id' "
            "AND NOT EXISTS (SELECT 1 FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid "
            " JOIN pg_namespace n ON n.oid = t.relnamespace "
            " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0] "
            " WHERE n.nspname = c.table_schema AND t.relname = c.table_name "
            " AND a.attname = 'order_id' AND x.indpred IS NULL)";
  const std::string tables =
      GetParam() == Backend::sqlite
          ? "SELECT count(*) FROM sqlite_master m, pragma_table_info(m.name) c "
            "WHERE m.type = 'table' AND c.name = 'order_seq'"
          : "SELECT count(*) FROM information_schema.columns c "
            "WHERE c.table_schema = current_schema() AND c.column_name = 'order_id'";
  EXPECT_EQ(count_rows(tables), 3);  // jobs, timeline, webhook_events: the query sees them
  EXPECT_EQ(count_rows(unindexed), 0);
}

TTB_FOR_EVERY_STORE(RetentionStoreTest);

}  // namespace
}  // namespace ttb::store::testing
