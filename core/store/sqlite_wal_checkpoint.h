#pragma once
// The third stage of the SQLite store's commit pipeline: copying the WAL back into the database
// file (a checkpoint). SQLite does that by default inside the COMMIT that takes the WAL past
// 1,000 pages, on the writer thread, so every such commit stalls every write queued behind it.
// Here the writer's WAL hook only asks this thread to checkpoint, on a connection of its own; a
// PASSIVE checkpoint copies what is committed while the writer goes on.
//
// The WAL is reused from its start only once all of it is copied, and under a steady load this
// thread never quite catches up with the writer. So past `catch_up_frames` the writer copies the
// rest itself (little, since this thread did the bulk) and its next transaction starts the WAL
// over: the WAL stays bounded. Crash safety is SQLite's own: a checkpoint syncs the WAL before it
// copies, and the database before the WAL can be reused (docs/reliability.md, "Pipelined commits
// and durability").

#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "store/sqlite_db.h"

namespace ttb::store {

class WalCheckpointer {
 public:
  struct Stats {
    std::uint64_t background = 0;  // checkpoints this thread ran
    std::uint64_t by_writer = 0;   // catch-ups the writer ran itself
    std::uint64_t busy = 0;        // a checkpoint found another one running (harmless)
    std::uint64_t failed = 0;      // any other error (the next one tries again)
  };

  // `db`: a connection of its own on the store's file. Starts the thread.
  WalCheckpointer(std::unique_ptr<SqliteDb> db, int start_frames, int catch_up_frames);
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Replaces SQLite's checkpoint-on-commit of `writer` by this one (sqlite3_wal_hook). The hook
  // runs on the writer's thread, after each commit.
  void attach(sqlite3* writer);
  // Detaches from the writer (whose thread has ended) and ends the thread. Idempotent.
  void stop();
  Stats stats() const;

 private:
  static int on_commit(void* self, sqlite3* db, const char* schema, int frames);
  void count(int rc, std::atomic<std::uint64_t>& done);
  void loop();

  std::unique_ptr<SqliteDb> db_;
  const int start_frames_;
  const int catch_up_frames_;
  sqlite3* writer_ = nullptr;

  std::mutex mutex_;
  std::condition_variable cv_;
  bool requested_ = false;
  bool stopping_ = false;
  std::thread thread_;

  std::atomic<std::uint64_t> background_{0};
  std::atomic<std::uint64_t> by_writer_{0};
  std::atomic<std::uint64_t> busy_{0};
  std::atomic<std::uint64_t> failed_{0};
};

}  // namespace ttb::store
