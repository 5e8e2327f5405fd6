#pragma once
// The SQLite store: one file in WAL mode with synchronous=FULL. All writes go through one writer
// thread that drains a queue of pending writes into a single transaction (group commit), each in
// its own savepoint, then wakes every caller with its own result. Reads use a second connection.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "store/sqlite_db.h"
#include "store/store.h"

namespace ttb::store {

// Times are stored as milliseconds since the Unix epoch.
inline std::int64_t to_ms(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
inline TimePoint from_ms(std::int64_t ms) {
  return TimePoint(std::chrono::milliseconds(ms));
}

class SqliteStore final : public Store {
 public:
  // Opens the file, applies migrations and requeues jobs a crash left running. nullptr + error.
  static std::unique_ptr<SqliteStore> open(const std::string& path, StoreOptions options,
                                           std::string& error);
  ~SqliteStore() override;

  AcceptResult accept_order(const NewOrder& order) override;
  std::optional<SightingOutcome> record_webhook_sighting(const WebhookSighting& sighting) override;
  std::optional<OrderRecord> get_order(const std::string& id) override;
  std::vector<OrderRecord> list_orders(const OrderFilter& filter) override;
  std::optional<OrderRecord> find_order_by_vendor_id(const std::string& tenant,
                                                     const std::string& provider,
                                                     const std::string& vendor_order_id) override;
  std::vector<TimelineEntry> timeline(const std::string& order_id) override;
  CommitResult commit(const ChangeSet& changes) override;
  std::optional<bool> record_callback_event(const CallbackEventKey& key) override;
  std::optional<std::int64_t> enqueue_job(const NewJob& job) override;
  std::vector<JobRecord> claim_due_jobs(const ClaimRequest& request) override;
  WriteResult finish_job(std::int64_t id) override;
  WriteResult retry_job(std::int64_t id, TimePoint run_at, const std::string& error) override;
  WriteResult defer_job(std::int64_t id, TimePoint run_at, const std::string& note) override;
  WriteResult kill_job(std::int64_t id, const std::string& error) override;
  std::optional<JobRecord> get_job(std::int64_t id) override;
  std::vector<JobRecord> list_jobs(const JobFilter& filter) override;
  std::optional<int> requeue_dead(std::int64_t id) override;
  std::optional<int> requeue_all_dead(const std::string& tenant) override;
  std::optional<TimePoint> next_due_at() override;
  QueueStats queue_stats() override;
  std::vector<ProviderQueue> queue_by_provider() override;  // sqlite_queue_views.cc
  std::vector<QuietOrder> quiet_orders(TimePoint no_news_since, int limit) override;  // idem
  std::optional<int> wake_jobs_waiting_for_provider() override;
  void set_jobs_listener(std::function<void()> listener) override;
  StoreStats stats() const override;
  void close() override;

 private:
  struct WriteOp {
    std::function<void(SqliteDb&)> run;                      // throws SqlError to roll back
    std::function<void(const std::string* error)> finished;  // after the commit
  };

  SqliteStore(std::unique_ptr<SqliteDb> writer, std::unique_ptr<SqliteDb> reader,
              StoreOptions options);
  // Runs `body` in the writer thread inside the next group commit and waits for the commit.
  template <class R>
  R write(std::function<R(SqliteDb&)> body, std::function<R(const std::string&)> on_error);
  // Runs `body` on the reader connection (WAL lets it read while the writer commits). A database
  // failure is not an expected outcome of a read: it becomes StoreError.
  template <class F>
  auto read(F&& body) -> decltype(body(std::declval<SqliteDb&>())) {
    try {
      std::lock_guard lock(reader_mutex_);
      return body(*reader_db_);
    } catch (const SqlError& e) {
      throw StoreError(std::string("store read failed: ") + e.what());
    }
  }
  void writer_loop();
  void run_batch(std::vector<WriteOp>& batch);
  WriteResult job_transition(std::int64_t id, const std::string& sql, TimePoint run_at,
                             const std::string& error);
  std::int64_t now_ms() const;
  std::int64_t insert_job(SqliteDb& db, const NewJob& job, std::int64_t now);

  StoreOptions options_;
  std::unique_ptr<SqliteDb> writer_db_;  // touched only by the writer thread
  std::mutex reader_mutex_;
  std::unique_ptr<SqliteDb> reader_db_;

  mutable std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::deque<WriteOp> queue_;
  bool closing_ = false;
  bool jobs_changed_in_batch_ = false;  // writer thread only
  std::thread writer_;

  std::mutex listener_mutex_;
  std::function<void()> jobs_listener_;

  std::atomic<std::uint64_t> transactions_{0};
  std::atomic<std::uint64_t> writes_{0};
  std::atomic<std::uint64_t> failed_transactions_{0};
};

}  // namespace ttb::store
