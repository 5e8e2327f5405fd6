#pragma once
// The second stage of the SQLite store's pipelined group commit. The writer connection runs with
// synchronous=NORMAL, so its COMMIT only appends the batch's frames to the WAL (the OS page
// cache holds them: safe from a process crash, not yet from a power loss). The writer hands each
// committed batch here and starts the next one; this thread fdatasyncs the WAL file and only then
// answers the batches written before that sync began, so one sync covers every batch committed
// while the previous one was in flight. Why this is crash-safe: docs/reliability.md,
// "Pipelined commits and durability".

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace ttb::store {

class WalSyncer {
 public:
  // Called with nullptr once the WAL is on disk, or with why the sync failed.
  using Answer = std::function<void(const std::string* sync_error)>;
  // Test seam, called on the sync thread before each fdatasync: an error text makes that sync
  // fail as if the disk had failed; blocking in it holds the batches waiting for that sync.
  using BeforeSync = std::function<std::optional<std::string>()>;

  // Opens the WAL file `wal_path` (SQLite created it; it stays for as long as one of the store's
  // connections is open) and syncs its directory once, so that the file's entry is durable too.
  // Throws std::runtime_error when the file cannot be opened.
  WalSyncer(const std::string& wal_path, BeforeSync before_sync);
  WalSyncer(const WalSyncer&) = delete;
  WalSyncer& operator=(const WalSyncer&) = delete;
  ~WalSyncer();

  // Runs `answer` on the sync thread after an fdatasync that began after this call has returned.
  // Call it only once the batch's COMMIT has returned (its frames are written).
  void after_sync(Answer answer);
  // Set once a sync failed: what is on disk is then unknown, and the store accepts no more writes.
  std::optional<std::string> failure() const;
  // Answers everything handed over (after a last sync), then ends the thread. Idempotent.
  void stop();

 private:
  void loop();

  int wal_fd_ = -1;
  BeforeSync before_sync_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<Answer> waiting_;
  bool stopping_ = false;
  std::optional<std::string> failure_;
  std::thread thread_;
};

}  // namespace ttb::store
