#pragma once
// The PostgreSQL store: several daemons may share one database. Writes run on a few writer
// connections (kPgWriterConnections) with group commit: the writes queued meanwhile run one after
// another in one transaction, answered once its COMMIT returned (pg_write_queue.cc). A webhook's
// accept does not wait for it (accept_order_async). Reads use a connection of their own. Jobs are
// claimed with `FOR UPDATE SKIP LOCKED` and a lease (StoreOptions::job_lease): a job whose claim
// is older than the lease is claimable again, so the jobs of a daemon that died are taken over.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "store/pg_connection.h"
#include "store/pg_first_statistics.h"
#include "store/reader_pool.h"
#include "store/store.h"

namespace ttb::store {

// Writes in flight at once per store. More let more webhooks share one WAL flush, and hold more
// of the server's connections (each daemon opens this many, plus up to kPgReaderConnections
// for reads).
inline constexpr int kPgWriterConnections = 8;
// Reading connections at most (reader_pool.h), opened as reads overlap: the request path's
// short reads, a slow background scan and a console listing at once, with one to spare.
inline constexpr int kPgReaderConnections = 4;

// A write's share of what its opening returned (PgStore::begin): the result of the statement
// that carried it, and the row that is this write's: 0, unless the opening went out merged with
// its neighbours' (PgStatement::for_rows).
struct PgOpened {
  const PgResult& result;
  int row = 0;
};

// One write on its way through the writer queue (pg_write_queue.cc), its type erased: write<T>
// and write_batched<T> keep the typed result and fill these in.
struct PgPendingWrite {
  virtual ~PgPendingWrite() = default;  // an async write is deleted through this type
  // The write's first statement, when it has one known up front: sent with the transaction's
  // BEGIN and the other writes' openings in one round trip (pg_write_queue.cc).
  const PgStatement* opening = nullptr;
  // Runs the rest of the write's body in the current transaction, given its opening's result
  // (null without an opening), and keeps its result; false when the body answered an Error (its
  // transaction must then not commit it).
  std::function<bool(PgConnection&, const PgOpened* opened)> attempt;
  std::function<void(const Error&)> fail;  // answers this Error instead
  JobsDue due;                             // set by attempt: what the write made claimable
  // Set for a write no caller waits for (write_async): run, once done, on the thread that led its
  // batch, which then deletes the write.
  std::function<void()> answer;
  bool taken = false;          // in a batch that a connection runs
  bool done = false;           // answered: its COMMIT returned (or it failed)
  std::condition_variable cv;  // under pool_mutex_: taken into a batch, or done
};

// The Error of a failed PostgreSQL call: a broken constraint is invalid (the request is wrong),
// anything else (connection lost, serialization failure, disk full) unavailable.
Error error_of(const PgError& e, const std::string& context);

// pg_accept_fresh.cc: for a webhook with an event id and a sighting digest, the one statement that
// records the sighting and, when nothing of it was known, the order with its event, invite job
// and timeline line. A batch sends the statements of its webhooks as one (PgStatement::for_rows).
// A webhook's row holds 0 when something was known (nothing but at most the sighting was
// written): accept_order then decides step by step.
PgStatement fresh_order_statement(const NewOrder& order, std::int64_t now);
// Whether fresh_order_statement's result row `row` says its order was stored.
bool fresh_order_stored(const PgResult& result, int row);

// The jobs columns every job query selects, in the order read_pg_job reads them.
extern const char* const kPgJobColumns;
JobRecord read_pg_job(const PgResult& r, int row);

// The read of a commit that finishes a job ($1 the job, $2 now in ms): its state and attempt, and
// its order's queued jobs (queued_of_order_columns), its row locked.
const std::string& pg_finishing_read_sql();

class PgStore final : public Store {
 public:
  // Connects, applies migrations (pg_migrations.cc) and connects a reader. nullptr + error.
  static std::unique_ptr<PgStore> open(const std::string& url, StoreOptions options,
                                       std::string& error);
  ~PgStore() override;

  Result<Accepted> accept_order(const NewOrder& order) override;
  // Queues the accept and returns: `done` runs on a leading thread once its batch committed.
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
  Result<std::vector<JobRecord>> claim_due_jobs(const ClaimRequest& request) override;  // pg_claim
  Result<void> transition_job(const JobMove& move) override;
  Result<JobRecord> get_job(std::int64_t id) override;
  Result<std::vector<JobRecord>> list_jobs(const JobFilter& filter) override;
  Result<int> requeue_dead(std::int64_t id) override;
  Result<int> requeue_all_dead(const std::string& tenant) override;
  Result<int> wake_jobs_waiting_for_provider() override;
  Result<int> count_job_deaths(
      const std::vector<std::int64_t>& job_ids) override;                  // *_job_deaths.cc
  Result<int> renew_leases(const std::vector<JobClaim>& claims) override;  // *_job_leases.cc
  Result<std::optional<TimePoint>> next_due_at() override;
  Result<QueueStats> queue_stats() override;                        // pg_queue_views.cc
  Result<std::vector<ProviderQueue>> queue_by_provider() override;  // idem
  Result<std::vector<QuietOrder>> quiet_orders(TimePoint no_news_since,
                                               int limit) override;  // idem
  Result<std::map<std::string, std::int64_t>> orders_by_status() override;
  Result<ActivityCounts> activity_between(TimePoint since,
                                          TimePoint until) override;   // idem
  Result<Purged> purge_expired(const PurgeRequest& request) override;  // pg_retention.cc
  void set_jobs_listener(std::function<void(const JobsDue&)> listener) override;
  StoreStats stats() const override;
  void close() override;

  // Runs `body` in a transaction of its own on a free writer connection (waiting for one). Writes
  // in flight together commit in any order; a caller's writes in the order it made them. An Error
  // that `body` returns (e.g. conflict) rolls it back and is the caller's; a PgError rolls it back
  // and becomes an Error. A serialization failure, a deadlock or a unique key another daemon
  // inserted meanwhile runs `body` again (at most three times in all). For writes that call out
  // of the store (a claim's admit) or hold row locks for long.
  template <class T>
  Result<T> write(const std::function<Result<T>(PgConnection&)>& body);
  // As write(), but `body` may share its transaction with the other writes queued meanwhile
  // (group commit), on another caller's thread; it answers once that COMMIT returned. When any
  // write of the batch fails, the batch is rolled back and each of its writes runs again alone, as
  // write() would run it: `body` must only touch the database.
  template <class T>
  Result<T> write_batched(const std::function<Result<T>(PgConnection&)>& body);
  // As write_batched(), for a write whose first statement is known before it runs: `opening` is
  // sent together with its transaction's BEGIN and the other openings of its batch (libpq's
  // pipeline mode), and `rest` runs after, given its share of the opening's result (its own row
  // when the opening went out merged with others). All of a batch's openings run before any
  // write's rest, so an opening must be a whole change on its own (an insert if absent, a guarded
  // update) that `rest` only completes when the opening found it could not.
  template <class T>
  Result<T> write_pipelined(
      const PgStatement& opening,
      const std::function<Result<T>(PgConnection&, const PgOpened& opened)>& rest);
  // As write_pipelined() (with an opening) or write_batched() (without), but no caller waits:
  // `done` gets the result on the thread that led the write's batch, once its COMMIT returned,
  // after the jobs listener heard of what the write made claimable. It must be quick.
  template <class T>
  void write_async(std::optional<PgStatement> opening,
                   std::function<Result<T>(PgConnection&, const PgOpened* opened)> body,
                   std::function<void(Result<T>)> done);
  // Runs `body` on a reading connection (its own statement, committed data only).
  template <class T>
  Result<T> read(const std::function<Result<T>(PgConnection&)>& body);

  std::int64_t now_ms() const;
  // Inserts a queued job in the current write and marks the write as one that wakes the runner.
  std::int64_t insert_job(PgConnection& db, const NewJob& job, std::int64_t now);
  // insert_job in two halves, for a pipeline: the statement (whose one value is the new id; no
  // row when the job's order does not exist), and what follows once it ran (the runner is told;
  // the id is returned; a PgError of a broken foreign key when there is no row).
  static PgStatement job_insert(const NewJob& job, std::int64_t now);
  std::int64_t inserted_job(const NewJob& job, const PgResult& inserted, std::int64_t now);
  // claim_due_jobs in the current write (also ChangeSet::then_claim's, inside commit).
  std::vector<JobRecord> claim_in(PgConnection& db, const ClaimRequest& request, std::int64_t now);
  // claim_in in two halves (pg_claim.cc), for a commit that sends the candidates' statements with
  // its writes: the statements that find and lock the candidates, whose last two answer them
  // (expired leases, then due queued jobs), and the claim of those candidates given those two
  // results.
  std::vector<PgStatement> claim_candidates(const ClaimRequest& request) const;
  std::vector<JobRecord> claim_from(PgConnection& db, const ClaimRequest& request, std::int64_t now,
                                    const PgResult& expired, const PgResult& queued);
  const StoreOptions& options() const { return options_; }
  // When a claim or renewal this store makes at `now_ms` ends: one job_lease later
  // (pg_job_leases.cc).
  std::int64_t lease_end_ms(std::int64_t now_ms) const;
  // Leases compare times that every daemon writes with its own clock: logs store_clock_skew
  // (warn) when this daemon's clock and the database's differ by more than a second or two, with
  // what that does to leases. Returns the difference, this clock less the database's, in ms.
  static std::int64_t check_clock(PgConnection& db, const StoreOptions& options);

 private:
  PgStore(std::vector<std::unique_ptr<PgConnection>> writers,
          std::unique_ptr<ReaderPool<PgConnection>> readers, StoreOptions options);

  // accept_order for a webhook that is not plainly new (or lacks an event id or a digest):
  // sighting, event, order, each looked up in turn, in the current write.
  Result<Accepted> accept_step_by_step(PgConnection& db, const NewOrder& order, std::int64_t now);
  // accept_order's body, given its opening's result (fresh_order_statement) or null without one.
  Result<Accepted> accept_in(PgConnection& db, const NewOrder& order, std::int64_t now,
                             const PgOpened* opened);

  template <class T>
  Result<T> run_typed(const PgStatement* opening,
                      const std::function<Result<T>(PgConnection&, const PgOpened*)>& body,
                      bool batchable);
  // pg_write_queue.cc: runs `pending` (alone, or batched with others), answering it either way.
  void run_write(PgPendingWrite& pending, bool batchable);
  void run_write_async(std::unique_ptr<PgPendingWrite> pending);
  // Takes `first` and the writes queued behind it (up to kPgMaxBatch) and a writer connection,
  // runs them as one batch without the lock, and answers them: done (and woken) when a caller
  // waits, answered and deleted when none does.
  void lead_batch_locked(std::unique_lock<std::mutex>& lock, PgPendingWrite* first);
  // The body of the threads that lead batches whose first write no caller waits for.
  void lead_async_writes();
  bool async_write_ready_locked() const;
  void run_alone(PgConnection& db, PgPendingWrite& pending);
  void run_batch(PgConnection& db, const std::vector<PgPendingWrite*>& batch);
  // Opens the transaction of `writes`: BEGIN, with their openings sent along in one round trip
  // when any has one, neighbours of one kind merged into one statement (PgStatement::for_rows).
  // The results of the statements sent, and each write's share of them (null: no opening). The
  // shares point into `results`: an Opened is moved (its vector's buffer with it), never copied.
  struct Opened {
    std::vector<PgResult> results;
    std::vector<std::optional<PgOpened>> of_write;
  };
  static Opened begin(PgConnection& db, const std::vector<PgPendingWrite*>& writes);
  PgConnection* take_writer_locked();
  void give_back_locked(PgConnection* writer);
  // An idle connection and a queued write: wake that write's caller to lead, or a leading thread
  // when no caller waits for it.
  void hand_off_locked();
  void notify_jobs_listener(const JobsDue& due);

  StoreOptions options_;

  mutable std::mutex pool_mutex_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<PgConnection>> writers_;
  std::vector<PgConnection*> idle_writers_;  // each used by one write at a time
  int admitted_writes_ = 0;                  // accepted before close(): close() waits for them
  int waiting_writes_ = 0;                   // of those, unbatched ones waiting for a connection
  std::deque<PgPendingWrite*> queue_;        // batchable writes no connection has taken yet
  bool closing_ = false;
  // Lead batches that start with an async write, one per writer connection at most; started with
  // the first async write, stopped by close() once every admitted write is answered.
  std::vector<std::thread> leaders_;
  std::condition_variable leaders_cv_;
  bool leaders_stop_ = false;
  std::atomic<bool> closed_{false};

  std::unique_ptr<ReaderPool<PgConnection>> readers_;
  // ANALYZE of a new database's tables once they hold rows (pg_first_statistics.h).
  std::unique_ptr<PgFirstStatistics> first_statistics_;

  std::mutex listener_mutex_;
  std::function<void(const JobsDue&)> jobs_listener_;

  std::atomic<std::uint64_t> transactions_{0};
  std::atomic<std::uint64_t> writes_{0};
  std::atomic<std::uint64_t> failed_transactions_{0};
  std::atomic<std::uint64_t> rerun_batches_{0};
};

}  // namespace ttb::store
