#pragma once
// The SQLite store: one file in WAL mode. All writes go through one writer thread that drains a
// queue of pending writes into a single transaction (group commit); one failing write is undone
// alone (sqlite_group_commit.cc, run_bare).
// The commit is pipelined (sqlite_group_commit.cc): the writer's COMMIT only appends to the WAL
// (synchronous=NORMAL), a sync thread (WalSyncer) fdatasyncs the WAL and then wakes every caller
// of the batch that sync covers with its own result, while the writer already runs the next
// writes into the next transaction. Reads use a second connection.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "store/reader_pool.h"
#include "store/sqlite_db.h"
#include "store/sqlite_wal_checkpoint.h"
#include "store/sqlite_wal_sync.h"
#include "store/store.h"

namespace ttb::store {

// Times are stored as milliseconds since the Unix epoch.
inline std::int64_t to_ms(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
inline TimePoint from_ms(std::int64_t ms) {
  return TimePoint(std::chrono::milliseconds(ms));
}

// The Error of a failed SQLite call: a broken schema rule is invalid (the request is wrong),
// anything else (I/O, disk full, busy) unavailable (try again later).
Error error_of(const SqlError& e, const std::string& context);

// A JSON array of strings for json_each(), so a list binds as one parameter.
std::string json_array(const std::vector<std::string>& items);

class SqliteStore final : public Store {
 public:
  // Opens the file, applies migrations and requeues jobs a crash left running. nullptr + error.
  // `before_sync`: the test seam of WalSyncer (tests of the commit pipeline only).
  static std::unique_ptr<SqliteStore> open(const std::string& path, StoreOptions options,
                                           std::string& error,
                                           WalSyncer::BeforeSync before_sync = {});
  ~SqliteStore() override;

  Result<Accepted> accept_order(const NewOrder& order) override;
  void accept_order_async(NewOrder order, AcceptDone done) override;
  Result<SightingOutcome> record_webhook_sighting(const WebhookSighting& sighting) override;
  void record_webhook_sighting_async(WebhookSighting sighting, SightingDone done) override;
  Result<OrderRecord> get_order(const std::string& id) override;
  Result<std::vector<OrderRecord>> list_orders(const OrderFilter& filter) override;
  Result<OrderRecord> find_order_by_vendor_id(const std::string& tenant,
                                              const std::string& provider,
                                              const std::string& vendor_order_id) override;
  Result<std::vector<TimelineEntry>> timeline(const std::string& order_id) override;
  Result<Committed> commit(const ChangeSet& changes) override;
  Result<bool> record_callback_event(const CallbackEventKey& key) override;
  Result<std::int64_t> enqueue_job(const NewJob& job) override;
  Result<std::vector<JobRecord>> claim_due_jobs(const ClaimRequest& request) override;
  Result<void> transition_job(const JobMove& move) override;
  Result<JobRecord> get_job(std::int64_t id) override;
  Result<std::vector<JobRecord>> list_jobs(const JobFilter& filter) override;
  Result<int> requeue_dead(std::int64_t id) override;
  Result<int> requeue_all_dead(const std::string& tenant) override;
  Result<std::optional<TimePoint>> next_due_at() override;
  Result<QueueStats> queue_stats() override;                        // sqlite_queue_views.cc
  Result<std::vector<ProviderQueue>> queue_by_provider() override;  // idem
  Result<std::vector<QuietOrder>> quiet_orders(TimePoint no_news_since,
                                               int limit) override;  // idem
  Result<std::map<std::string, std::int64_t>> orders_by_status() override;
  Result<ActivityCounts> activity_between(TimePoint since,
                                          TimePoint until) override;  // idem
  Result<int> wake_jobs_waiting_for_provider() override;
  Result<int> count_job_deaths(
      const std::vector<std::int64_t>& job_ids) override;                  // *_job_deaths.cc
  Result<int> renew_leases(const std::vector<JobClaim>& claims) override;  // *_job_leases.cc
  Result<Purged> purge_expired(const PurgeRequest& request) override;      // sqlite_retention.cc
  void set_jobs_listener(std::function<void(const JobsDue&)> listener) override;
  StoreStats stats() const override;
  // Who copied the WAL into the database, and how often (sqlite_wal_checkpoint.h).
  WalCheckpointer::Stats checkpoint_stats() const { return checkpointer_->stats(); }
  void close() override;

 private:
  struct WriteOp {
    // False (the write's own Error, e.g. conflict) or a thrown SqlError rolls the write back.
    std::function<bool(SqliteDb&)> run;
    std::function<void(const Error* error)> finished;  // after the commit
  };

  SqliteStore(std::unique_ptr<SqliteDb> writer, std::unique_ptr<ReaderPool<SqliteDb>> readers,
              std::unique_ptr<WalSyncer> syncer, std::unique_ptr<WalCheckpointer> checkpointer,
              StoreOptions options);
  // Runs `body` in the writer thread inside the next group commit and waits for the sync that
  // makes that commit durable.
  // `body` returns its result (an Error it returns is the caller's, e.g. conflict) or throws
  // SqlError, which undoes what it wrote and becomes an Error. It may run twice: when a write of
  // its batch fails, the batch is rolled back and runs again, so it depends only on the database
  // and its arguments (due_ is reset for the second run; a claim's admission allows for it).
  template <class T>
  Result<T> write(std::function<Result<T>(SqliteDb&)> body);
  // write without waiting: `done` gets the result on the syncer's thread (or at once when the
  // store is closed).
  template <class T>
  void write_async(std::function<Result<T>(SqliteDb&)> body, std::function<void(Result<T>)> done);
  Result<Accepted> accept_in(SqliteDb& db, const NewOrder& order);
  // Runs `body` on a reading connection (WAL lets it read while the writer commits).
  template <class T>
  Result<T> read(const std::function<Result<T>(SqliteDb&)>& body) {
    try {
      const auto lease = readers_->acquire();
      return body(lease.connection());
    } catch (const SqlError& e) {
      return error_of(e, "store read failed: ");
    }
  }
  // The writes the writer has run into its open transaction, not committed yet.
  struct OpenBatch {
    std::vector<WriteOp> ops;
    std::vector<std::optional<Error>> errors;  // per write: its own error (it was undone)
    std::optional<std::string> failed;         // the whole batch fails (BEGIN, a lost savepoint)
    bool in_transaction = false;
    bool in_savepoints = false;  // a write failed: every write runs in its own savepoint
    JobsDue due_at_begin;        // due_ when the transaction began, for a run again
  };
  // The writer thread (sqlite_group_commit.cc).
  void writer_loop();
  void run_writes(OpenBatch& batch, std::vector<WriteOp>& writes);
  // A write straight into the batch's transaction; if it fails, rerun_in_savepoints first.
  std::optional<Error> run_bare(OpenBatch& batch, WriteOp& write);
  // Rolls the batch's transaction back and runs its writes again, each in its own savepoint.
  void rerun_in_savepoints(OpenBatch& batch);
  std::optional<Error> run_in_savepoint(OpenBatch& batch, WriteOp& write);
  void commit_batch(OpenBatch& batch);
  // Hands a committed batch to the syncer, which answers its callers once the WAL is on disk.
  void answer_after_sync(std::vector<WriteOp> ops, std::vector<std::optional<Error>> errors);
  std::int64_t now_ms() const;
  std::int64_t insert_job(SqliteDb& db, const NewJob& job, std::int64_t now);
  // claim_due_jobs in the current write (also ChangeSet::then_claim's, inside commit).
  std::vector<JobRecord> claim_in(SqliteDb& db, const ClaimRequest& request, std::int64_t now);

  StoreOptions options_;
  std::unique_ptr<SqliteDb> writer_db_;  // touched only by the writer thread
  std::unique_ptr<ReaderPool<SqliteDb>> readers_;
  std::unique_ptr<WalSyncer> syncer_;  // stopped in close(), before the connections close
  std::unique_ptr<WalCheckpointer> checkpointer_;  // stopped in close(), after the writer

  mutable std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::deque<WriteOp> queue_;
  bool closing_ = false;
  // A committed batch waits for its sync: the writer keeps adding writes to its open transaction
  // instead of committing (guarded by queue_mutex_).
  bool sync_in_flight_ = false;
  // What the writes of this batch made claimable (writer thread only): the commit tells the jobs
  // listener.
  JobsDue due_;
  std::thread writer_;

  std::mutex listener_mutex_;
  std::function<void(const JobsDue&)> jobs_listener_;

  std::atomic<std::uint64_t> transactions_{0};
  std::atomic<std::uint64_t> writes_{0};
  std::atomic<std::uint64_t> failed_transactions_{0};
  std::atomic<std::uint64_t> rerun_batches_{0};
};

}  // namespace ttb::store
