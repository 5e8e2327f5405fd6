// Migration 15 on a SQLite store an older daemon wrote: orders are rebuilt with seq, their place
// in arrival order, as their rowid, and their jobs, timeline lines and event ids are found by it.
// What the older daemon stored must stay reachable by every path that finds rows by their order.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "store/migrations.h"
#include "store_fixture.h"

namespace ttb::store::testing {
namespace {

using std::chrono::hours;

// An order as the daemon stored it before migration 15; every column it had then.
std::string old_order(const std::string& id, const std::string& event_id, const std::string& status,
                      std::int64_t updated_at) {
  return "INSERT INTO orders (id, event_id, tenant, provider, test_id, company_uuid, "
         "candidate_json, job_json, options_json, callback_url, locale, status, failure_reason, "
         "vendor_order_id, vendor_state_json, result_json, result_version, pushed_version, "
         "answer_status, answer_body, created_at, updated_at, version) VALUES ('" +
         id + "', '" + event_id +
         "', 'acme', 'codility', 'cpp-60', 'aB3dE5fG7hJ', '{\"id\":\"1001\",\"email\":"
         "\"ada@example.org\"}', '{}', '{}', 'https://ttb.example/cb', 'en', '" +
         status + "', '', '', '{}', '{}', 0, 0, 202, 'accepted " + id + "', 1, " +
         std::to_string(updated_at) + ", 1);\n";
}

std::string old_children(const std::string& order_id, const std::string& event_id,
                         const std::string& job_state) {
  return "INSERT INTO webhook_events (event_id, order_id, received_at) VALUES ('" + event_id +
         "', '" + order_id + "', 1);\n" +
         "INSERT INTO webhook_sightings (event_id, body_digest, received_at) VALUES ('" + event_id +
         "', 'digest', 1);\n" +
         "INSERT INTO jobs (order_id, tenant, provider, kind, state, attempts, max_attempts, "
         "run_at, last_error, payload_json, created_at, updated_at) VALUES ('" +
         order_id + "', 'acme', 'codility', 'invite', '" + job_state +
         "', 0, 8, 1, '', '{}', 1, 1);\n" +
         "INSERT INTO timeline (order_id, at, source, event, detail) VALUES ('" + order_id +
         "', 1, 'teamtailor', 'received', 'stored before migration 15');\n";
}

class OrderSeqMigrationTest : public StoreFixture {
 protected:
  std::string path() const { return (dir_.path() / "ttb.db").string(); }

  // The store file at migration 14 with `rows` written into it. A plain connection enforces no
  // foreign keys, so `rows` may break one, as a damaged file could.
  void write_store_at_14(const std::string& rows) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path().c_str(), &db), SQLITE_OK);
    std::string sql =
        "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, "
        "applied_at BIGINT NOT NULL);\n";
    for (const auto& m : migrations(Dialect::sqlite)) {
      if (m.version > 14) break;
      sql += m.sql + ";\nINSERT INTO schema_migrations VALUES (" + std::to_string(m.version) +
             ", 'm', 1);\n";
    }
    char* message = nullptr;
    const int rc = sqlite3_exec(db, (sql + rows).c_str(), nullptr, nullptr, &message);
    const std::string error = message ? message : "";
    sqlite3_free(message);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << error;
  }
};

TEST_F(OrderSeqMigrationTest, RowsStoredBeforeItAreFoundByTheirOrder) {
  const std::int64_t long_ago = 1'600'000'000'000;
  // pr-b arrived first: seq follows arrival, not the ids' order.
  write_store_at_14(
      old_order("pr-b", "ev-b", "completed", long_ago) + old_children("pr-b", "ev-b", "done") +
      old_order("pr-a", "ev-a", "received", long_ago) + old_children("pr-a", "ev-a", "queued"));
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(count_rows("SELECT MAX(version) FROM schema_migrations"),
            migrations(Dialect::sqlite).back().version);
  EXPECT_EQ(count_rows("SELECT seq FROM orders WHERE id = 'pr-b'"), 1);
  EXPECT_EQ(count_rows("SELECT seq FROM orders WHERE id = 'pr-a'"), 2);

  // The timeline: the old line, then one written now, in order.
  OrderChange change = status_change("pr-a", 1, "invited");
  change.timeline.push_back({TimePoint{}, "vendor", "invited", "written after migration 15"});
  ChangeSet set;
  set.orders.push_back(change);
  ASSERT_TRUE(store->commit(set));
  auto lines = store->timeline("pr-a");
  ASSERT_TRUE(lines) << lines.error().message;
  ASSERT_EQ(lines->size(), 2u);
  EXPECT_EQ((*lines)[0].detail, "stored before migration 15");
  EXPECT_EQ((*lines)[1].detail, "written after migration 15");

  // The claim: pr-a's old job runs, so a job of pr-a queued now waits for it.
  auto claimed = store->claim_due_jobs({clock_.now(), 10, {}});
  ASSERT_TRUE(claimed) << claimed.error().message;
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ((*claimed)[0].order_id, "pr-a");
  ASSERT_TRUE(store->enqueue_job(poll_job("pr-a")));
  auto waiting = store->claim_due_jobs({clock_.now(), 10, {}});
  ASSERT_TRUE(waiting) << waiting.error().message;
  EXPECT_TRUE(waiting->empty());

  // A replay of an old event id answers as its order did.
  NewOrder replay = order("pr-other", "ev-a");
  auto accepted = store->accept_order(replay);
  ASSERT_TRUE(accepted) << accepted.error().message;
  EXPECT_EQ(accepted->outcome, Accepted::Outcome::duplicate);
  EXPECT_EQ(accepted->order_id, "pr-a");

  // Retention finds pr-b's rows by its seq.
  PurgeRequest request;
  request.finished_before = clock_.now() - hours(24);
  request.finished_statuses = {"completed"};
  auto purged = store->purge_expired(request);
  ASSERT_TRUE(purged) << purged.error().message;
  EXPECT_EQ(purged->orders, 1);
  EXPECT_EQ(purged->timeline_lines, 1);
  EXPECT_EQ(purged->jobs, 1);
  EXPECT_EQ(purged->event_keys, 2);  // its event id and its sighting
  EXPECT_EQ(count_rows("SELECT COUNT(*) FROM timeline WHERE order_id = 'pr-a'"), 2);
}

// `ttbridge store migrate` may run while an older daemon still serves the file: that daemon goes
// on writing rows without order_seq until it stops. The next open sets it.
TEST_F(OrderSeqMigrationTest, RowsAnOlderDaemonWroteAfterItAreFoundOnceReopened) {
  {
    auto store = open();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->accept_order(order("pr-1", "ev-1")));
    store->close();
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path().c_str(), &db), SQLITE_OK);
  const int rc =
      sqlite3_exec(db,
                   "INSERT INTO timeline (order_id, at, source, event, detail) VALUES "
                   "('pr-1', 2, 'vendor', 'invited', 'by an older daemon');"
                   "UPDATE jobs SET state = 'running' WHERE order_id = 'pr-1';"
                   "INSERT INTO jobs (order_id, tenant, provider, kind, state, attempts, "
                   "max_attempts, run_at, last_error, payload_json, created_at, "
                   "updated_at) VALUES ('pr-1', 'acme', 'codility', 'poll', 'queued', "
                   "0, 8, 1, '', '{}', 1, 1);",
                   nullptr, nullptr, nullptr);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK);

  StoreOptions options;
  options.recover_interrupted_jobs = false;  // keep the invite running, as the older daemon left it
  auto store = open(std::move(options));
  ASSERT_TRUE(store);
  auto lines = store->timeline("pr-1");
  ASSERT_TRUE(lines) << lines.error().message;
  ASSERT_EQ(lines->size(), 2u);
  EXPECT_EQ(lines->back().detail, "by an older daemon");
  // The older daemon's poll belongs to pr-1, whose invite runs: it waits.
  auto claimed = store->claim_due_jobs({clock_.now(), 10, {}});
  ASSERT_TRUE(claimed) << claimed.error().message;
  EXPECT_TRUE(claimed->empty());
}

TEST_F(OrderSeqMigrationTest, ARowWhoseOrderIsMissingRollsItBackAndSaysWhich) {
  write_store_at_14(old_order("pr-a", "ev-a", "received", 1) +
                    old_children("pr-a", "ev-a", "queued") +
                    old_children("pr-gone", "ev-gone", "queued"));
  StoreOptions options;
  options.clock = clock_.fn();
  auto opened = open_store(url(), std::move(options));
  ASSERT_FALSE(opened);
  EXPECT_NE(opened.error().message.find("migration 15"), std::string::npos)
      << opened.error().message;
  EXPECT_NE(opened.error().message.find("whose orders row is missing"), std::string::npos)
      << opened.error().message;
  EXPECT_EQ(count_rows("SELECT MAX(version) FROM schema_migrations"), 14);
  EXPECT_EQ(count_rows("SELECT COUNT(*) FROM pragma_table_info('orders') WHERE name = 'seq'"), 0);
  EXPECT_EQ(count_rows("SELECT COUNT(*) FROM orders"), 1);
}

}  // namespace
}  // namespace ttb::store::testing
