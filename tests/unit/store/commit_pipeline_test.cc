// The SQLite store's pipelined commit: a caller is answered only after the sync of the WAL that
// covers its commit has returned, and the next writes run their SQL while that sync is in flight.

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "store/sqlite_store.h"
#include "store_fixture.h"

namespace ttb::store::testing {
namespace {

using namespace std::chrono_literals;

// A sync seam that holds every sync until released, and counts the syncs that began.
class HeldSyncs {
 public:
  WalSyncer::BeforeSync seam() {
    return [this]() -> std::optional<std::string> {
      std::unique_lock lock(mutex_);
      ++begun_;
      cv_.notify_all();
      cv_.wait(lock, [this] { return released_; });
      return std::nullopt;
    };
  }
  // Waits (with a deadline, so that a broken pipeline fails instead of hanging) for `n` syncs.
  bool wait_for_begun(int n) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, 10s, [&] { return begun_ >= n; });
  }
  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  int begun_ = 0;
  bool released_ = false;
};

class CommitPipelineTest : public StoreFixture {
 protected:
  std::unique_ptr<SqliteStore> open_sqlite(WalSyncer::BeforeSync before_sync) {
    StoreOptions options;
    options.clock = clock_.fn();
    std::string error;
    auto store = SqliteStore::open((dir_.path() / "ttb.db").string(), std::move(options), error,
                                   std::move(before_sync));
    EXPECT_TRUE(store) << error;
    return store;
  }
};

// True when another connection cannot start a write transaction now: the writer holds one open.
bool writer_holds_a_transaction(const std::filesystem::path& db_path) {
  sqlite3* db = nullptr;
  sqlite3_open(db_path.string().c_str(), &db);
  const int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
  if (rc == SQLITE_OK) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  return rc == SQLITE_BUSY;
}

TEST_F(CommitPipelineTest, AWriteIsAnsweredOnlyAfterItsSyncWhileTheNextRunsItsSql) {
  HeldSyncs syncs;
  auto store = open_sqlite(syncs.seam());
  ASSERT_TRUE(store);
  auto first =
      std::async(std::launch::async, [&] { return store->accept_order(order("pr-1", "ev-1")); });
  const bool first_sync_began = syncs.wait_for_begun(1);
  EXPECT_TRUE(first_sync_began);
  // Committed (the reader connection sees it) but not answered: its sync has not returned.
  EXPECT_TRUE(store->get_order("pr-1"));
  EXPECT_EQ(first.wait_for(0ms), std::future_status::timeout);
  EXPECT_EQ(store->stats().transactions, 1u);

  // The next write is taken from the queue and runs in the writer's open transaction while the
  // first batch's sync is in flight; it commits once that sync is done.
  auto second =
      std::async(std::launch::async, [&] { return store->accept_order(order("pr-2", "ev-2")); });
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!writer_holds_a_transaction(dir_.path() / "ttb.db") &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
  }
  EXPECT_TRUE(writer_holds_a_transaction(dir_.path() / "ttb.db"));
  EXPECT_EQ(store->stats().pending_writes, 0u);
  EXPECT_EQ(store->stats().transactions, 1u);
  EXPECT_FALSE(store->get_order("pr-2"));  // not committed yet
  EXPECT_EQ(first.wait_for(0ms), std::future_status::timeout);
  EXPECT_EQ(second.wait_for(0ms), std::future_status::timeout);

  syncs.release();
  auto first_result = first.get();
  auto second_result = second.get();
  ASSERT_TRUE(first_result) << first_result.error().message;
  ASSERT_TRUE(second_result) << second_result.error().message;
  EXPECT_EQ(first_result->outcome, Accepted::Outcome::created);
  EXPECT_EQ(second_result->outcome, Accepted::Outcome::created);
  EXPECT_EQ(store->stats().transactions, 2u);
  // The second commit came after the first sync began, so a second sync had to cover it.
  EXPECT_TRUE(syncs.wait_for_begun(2));
}

TEST_F(CommitPipelineTest, AFailedSyncFailsItsWritesAndEveryLaterOne) {
  auto store = open_sqlite(
      []() -> std::optional<std::string> { return std::string("I/O error (injected)"); });
  ASSERT_TRUE(store);
  auto r = store->accept_order(order("pr-1", "ev-1"));
  ASSERT_TRUE(r.failed_with(Error::Code::unavailable));
  EXPECT_NE(r.error().message.find("store sync failed: I/O error (injected)"), std::string::npos)
      << r.error().message;
  // What reached the disk is unknown now: nothing more is acknowledged.
  auto later = store->accept_order(order("pr-2", "ev-2"));
  ASSERT_TRUE(later.failed_with(Error::Code::unavailable));
  EXPECT_NE(later.error().message.find("restart the daemon"), std::string::npos)
      << later.error().message;
  EXPECT_FALSE(store->get_order("pr-2"));
}

}  // namespace
}  // namespace ttb::store::testing
