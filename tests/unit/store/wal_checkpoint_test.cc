// The SQLite store's checkpoints: the WAL is copied back into the database by a thread of its
// own, not inside the writer's commits; past its catch-up length the writer copies the rest
// itself, so the WAL is reused from its start and stays bounded under a steady load.

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "store/sqlite_store.h"
#include "store/sqlite_wal_checkpoint.h"
#include "store_fixture.h"

namespace ttb::store::testing {
namespace {

using namespace std::chrono_literals;

// The checkpoint thread runs on its own time: wait for it, with a deadline.
template <class Condition>
bool eventually(Condition condition) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return condition();
}

class WalCheckpointTest : public StoreFixture {
 protected:
  std::string path() const { return (dir_.path() / "wal.db").string(); }
  // `n` transactions of the writer, each changing one page or two.
  static void write_rows(SqliteDb& writer, int n) {
    for (int i = 0; i < n; ++i) {
      writer.prepare("INSERT INTO t (v) VALUES ($1)").bind(1, std::string(300, 'x')).run();
    }
  }
};

TEST_F(WalCheckpointTest, TheCheckpointThreadCopiesTheWalAndTheWriterDoesNot) {
  SqliteDb writer(path(), 1000);
  writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
  WalCheckpointer checkpointer(std::make_unique<SqliteDb>(path(), 1000), 20, 1 << 30);
  checkpointer.attach(writer.handle());
  write_rows(writer, 200);
  EXPECT_TRUE(eventually([&] { return checkpointer.stats().background >= 1; }));
  EXPECT_EQ(checkpointer.stats().by_writer, 0u);
  EXPECT_EQ(checkpointer.stats().failed, 0u);
  checkpointer.stop();
  // Detached: the writer's commits no longer call into it.
  write_rows(writer, 50);
  auto count = writer.prepare("SELECT count(*) FROM t");
  ASSERT_TRUE(count.step());
  EXPECT_EQ(count.int64(0), 250);
}

TEST_F(WalCheckpointTest, PastItsCatchUpLengthTheWriterCopiesAndTheWalStaysBounded) {
  SqliteDb writer(path(), 1000);
  writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
  // The thread is never asked (its threshold is never reached): only the writer's catch-up
  // copies, so without it the WAL would grow by every commit.
  WalCheckpointer checkpointer(std::make_unique<SqliteDb>(path(), 1000), 1 << 30, 30);
  checkpointer.attach(writer.handle());
  write_rows(writer, 1000);
  EXPECT_GE(checkpointer.stats().by_writer, 1u);
  EXPECT_EQ(checkpointer.stats().background, 0u);
  const auto wal_bytes = std::filesystem::file_size(path() + "-wal");
  // 30 frames and the commit that passed them, of a 4 KiB page each and a header: far less than
  // the 1,000 commits' worth it would hold without the catch-up.
  EXPECT_LT(wal_bytes, 64u * 4096u) << wal_bytes;
}

TEST_F(WalCheckpointTest, TheStoreCheckpointsOffItsWriter) {
  StoreOptions options;
  options.clock = clock_.fn();
  std::string error;
  auto store = SqliteStore::open(path(), std::move(options), error);
  ASSERT_TRUE(store) << error;
  // Each order's commit adds several pages to the WAL; once it holds enough, the thread copies
  // them (a few thousand orders at most).
  int written = 0;
  while (store->checkpoint_stats().background == 0 && written < 5000) {
    for (int i = 0; i < 100; ++i, ++written) {
      const std::string n = std::to_string(written);
      ASSERT_TRUE(store->accept_order(order("wal-" + n, "ev-wal-" + n)));
    }
  }
  EXPECT_TRUE(eventually([&] { return store->checkpoint_stats().background >= 1; })) << written;
  EXPECT_EQ(store->checkpoint_stats().by_writer, 0u);
  EXPECT_EQ(store->checkpoint_stats().failed, 0u);
  store->close();
}

}  // namespace
}  // namespace ttb::store::testing
