#pragma once
// The durable store of orders, jobs, timelines and dedupe keys: the contract every implementation
// (SQLite today, PostgreSQL next) keeps. Callers see only this header and result.h.
//
// Results. Every operation returns Result<T>: its value, or an Error whose code says what the
// caller does (result.h). unavailable: nothing was applied, try again (a route answers 503, never
// 2xx; a job retries); with one exception on PostgreSQL, a connection lost while its COMMIT was
// out, whose outcome nobody can know: it may have committed, so a retry must be one the store
// dedupes (a webhook's is, by its event id). conflict: the row's version or state forbids the
// change. not_found: no such row. closed: the store was closed. No operation throws.
//
// Durability and atomicity. A write returns only once its transaction is committed to disk
// (fsync'd); a write that returns an error applied nothing (but see unavailable above). Each
// write is atomic on its own; concurrent writes may share one commit (group commit) but never
// each other's failure, except when the commit itself fails, which fails every write in it. A
// caller's writes are applied in the order it makes them; SQLite also applies concurrent writes
// in the order they were queued, PostgreSQL (several writer connections) in any order. Reads see
// committed data only.
//
// Jobs. A job is queued, running, done or dead. claim_due_jobs is the only way to running;
// transition_job (JobTransition) the only way out of it. After a commit that made a job
// claimable, the jobs listener runs and hears how many of each budget's kind (jobs_due.h).
//
// Each operation below says what it guarantees; docs/architecture.md ("The store contract")
// has the same as one table.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/change_set.h"
#include "store/claim_request.h"
#include "store/job_transition.h"
#include "store/jobs_due.h"
#include "store/records.h"
#include "store/result.h"

namespace ttb::store {

// What accept_order did. A store failure is the Result's Error, not an outcome.
struct Accepted {
  // other_tenant: the event id or order id is already another tenant's order; nothing is
  // written and nothing of that order is returned. replay: NewOrder::sighting_digest differs
  // from the one the event id was sighted with, and no order was accepted under that id (a
  // replayed signature); nothing is written.
  enum class Outcome { created, duplicate, other_tenant, replay };
  Outcome outcome = Outcome::created;
  std::string order_id;   // the new order, or the one the duplicate hit
  int answer_status = 0;  // created: as given; duplicate: the first order's answer
  std::string answer_body;

  // What accept_order answers for an order it stored: the id and the answer given to store.
  static Accepted created_from(const NewOrder& order) {
    return {Outcome::created, order.id, order.answer_status, order.answer_body};
  }
};

// A webhook whose signature verified, judged before any other check so that its event id cannot
// be used again with another body (the signature covers only the event id). It is recorded
// unless an order is accepted under its event id, whose row then stands for it.
struct WebhookSighting {
  std::string event_id;
  std::string body_digest;  // e.g. hex SHA-256 of the raw body
};
enum class SightingOutcome {
  first,       // never seen: recorded now
  same_body,   // seen with this very body, never accepted: a retry
  accepted,    // an order was accepted under this event id (with this body or another): a
               // redelivery; past the route's checks it gets that order's stored answer only
  other_body,  // seen with another body and never accepted: a replay of the signature
};

struct OrderFilter {
  // A constructor rather than an aggregate, so {tenant, status, limit} keeps compiling
  // warning-free as filters are added.
  OrderFilter(std::string tenant_ = "", std::string status_ = "", int limit_ = 100)
      : tenant(std::move(tenant_)), status(std::move(status_)), limit(limit_) {}

  std::string tenant;  // "" = all
  std::string status;  // "" = all
  int limit = 100;
  // The candidate's e-mail, compared without regard to case; "" = all.
  std::string email;
  std::optional<TimePoint> created_since;  // only orders created at or after this
  std::optional<TimePoint> created_until;  // only orders created before this
  // Paging: only the orders that come after this one in the newest-first order; "" = from the
  // newest. An id that is not in the store lists nothing.
  std::string before_id;
};

struct JobFilter {
  bool dead_only = false;
  std::string tenant;    // "" = all
  std::string order_id;  // "" = all
  int limit = 100;
  bool open_only = false;     // not done: queued, running or dead
  bool newest_first = false;  // by id, descending: an order's latest jobs rather than its first
};

// Retention: what purge_expired removes from orders finished before `finished_before`. The
// store does not know which statuses are final (orders/ does), so the caller names them.
struct PurgeRequest {
  TimePoint finished_before{};
  std::vector<std::string> finished_statuses;
  int max_rows = 500;  // rows touched per call (one commit): keeps the writer responsive
};

// What one purge_expired call touched; all zero once nothing is left to purge.
struct Purged {
  int orders = 0;          // orders whose candidate data was cleared (id, status, result stay)
  int timeline_lines = 0;  // their timeline lines
  int jobs = 0;            // their done jobs
  int event_keys = 0;      // their webhook event ids and sightings
  int old_event_keys = 0;  // sightings and callback event keys older than the window
  int total() const { return orders + timeline_lines + jobs + event_keys + old_event_keys; }
};

struct StoreStats {
  std::uint64_t transactions = 0;  // commits that reached the disk
  std::uint64_t writes = 0;        // write requests served (many per transaction under load)
  std::uint64_t failed_transactions = 0;
  // Batches rolled back because one of their writes failed, whose writes then ran again: each
  // alone on PostgreSQL, each in its own savepoint of one transaction on SQLite.
  std::uint64_t rerun_batches = 0;
  std::uint64_t pending_writes = 0;  // queued for the next commit right now
};

// For metrics and /readyz: queue depth, dead letters, age of the oldest due job.
struct QueueStats {
  std::int64_t queued = 0;
  std::int64_t running = 0;
  std::int64_t dead = 0;
  std::optional<TimePoint> oldest_queued_run_at;
};

// The queue of one tenant's provider, for metrics: what waits and what runs.
struct ProviderQueue {
  std::string tenant;
  std::string provider;
  std::int64_t queued = 0;
  std::int64_t running = 0;
  std::int64_t dead = 0;
  std::optional<TimePoint> oldest_queued_run_at;
};

// What the operator's overview and charts count (core/admin).
struct ActivityCounts {
  std::int64_t orders_created = 0;  // orders created in the window asked for
  std::int64_t jobs_done = 0;       // jobs that finished (done) in it
};

// An open order (invited or in progress) that had no news for a while and no poll lately.
struct QuietOrder {
  std::string id;
  std::string tenant;
  std::string provider;
  TimePoint updated_at{};
};

class Store {
 public:
  virtual ~Store() = default;

  // Orders. accept_order inserts the order, its event id, its first invite job and a "received"
  // timeline line atomically (one commit for an accepted webhook). With
  // NewOrder::sighting_digest, the webhook's sighting is judged first: a replay writes nothing.
  // An accepted webhook's event id needs no sighting of its own: its row among the event ids
  // answers later sightings (accepted), so none is written. A repeated event id or order id of
  // the same tenant creates nothing and returns the first answer (duplicate; a new event id for a
  // known order is remembered); one of another tenant creates nothing but the sighting of an
  // event id no order took, and returns other_tenant.
  virtual Result<Accepted> accept_order(const NewOrder& order) = 0;
  // accept_order without holding the caller's thread while the commit becomes durable: `done`
  // gets what accept_order would return, exactly once. A store with a commit queue of its own
  // calls it on its own thread once the commit is durable (SQLite: its sync thread; PostgreSQL:
  // the thread that led the batch), so `done` must be quick, must not throw and must not call the
  // store; this default calls accept_order and then `done`, before it returns.
  using AcceptDone = std::function<void(Result<Accepted>)>;
  // Both parameters are sinks for the overrides (the stores keep them until their commit is
  // synced); only this default merely reads them.
  // NOLINTNEXTLINE(performance-unnecessary-value-param)
  virtual void accept_order_async(NewOrder order, AcceptDone done) { done(accept_order(order)); }
  // Records the event id and body digest of a verified webhook, in a commit of its own: for a
  // webhook refused after its signature verified (an accepted one goes with accept_order).
  virtual Result<SightingOutcome> record_webhook_sighting(const WebhookSighting& sighting) = 0;
  // record_webhook_sighting without holding the caller's thread, as accept_order_async: `done`
  // gets what record_webhook_sighting would return, exactly once, under the same rules (the
  // webhook route calls it on an I/O thread, so a store must override it if it can wait).
  // Both parameters are sinks for the overrides, as above.
  using SightingDone = std::function<void(Result<SightingOutcome>)>;
  // NOLINTNEXTLINE(performance-unnecessary-value-param)
  virtual void record_webhook_sighting_async(WebhookSighting sighting, SightingDone done) {
    done(record_webhook_sighting(sighting));
  }
  virtual Result<OrderRecord> get_order(const std::string& id) = 0;  // not_found
  // Newest first (created_at, then id), at most filter.limit, with every filter of OrderFilter.
  virtual Result<std::vector<OrderRecord>> list_orders(const OrderFilter& filter) = 0;
  // The newest order of the tenant and provider with this vendor id (not_found).
  virtual Result<OrderRecord> find_order_by_vendor_id(const std::string& tenant,
                                                      const std::string& provider,
                                                      const std::string& vendor_order_id) = 0;
  virtual Result<std::vector<TimelineEntry>> timeline(const std::string& order_id) = 0;  // in order

  // Applies order changes, new jobs, a job completion and a callback dedupe key atomically.
  // Checks come before writes: conflict (an order's version moved, or it is gone) and duplicate
  // (the callback event was seen) leave nothing behind. Each order change does what
  // apply_change (change_set.h) says: pushed_version and applied_revision only rise, and a new
  // order's applied_revision is none until a change sets it; every reader returns them as
  // committed. A claim riding on the set's finish_job (ChangeSet::then_claim) claims as
  // claim_due_jobs does, after the set's writes, in the same transaction.
  virtual Result<Committed> commit(const ChangeSet& changes) = 0;
  // Records a callback event id on its own: true the first time, false when already seen.
  virtual Result<bool> record_callback_event(const CallbackEventKey& key) = 0;

  // Jobs.
  virtual Result<std::int64_t> enqueue_job(const NewJob& job) = 0;  // the job's id
  // Marks up to `limit` due, queued jobs running (attempts + 1, claims + 1) and returns them,
  // atomically: a job is handed out once. Jobs of one order never run concurrently, and push
  // jobs of one order are claimed in enqueue order. An empty list means nothing is due; a claim
  // that could not be written is an Error, never an empty list.
  virtual Result<std::vector<JobRecord>> claim_due_jobs(const ClaimRequest& request) = 0;
  // Moves one job out of `running` (kill: also out of `queued`), as job_transition.h defines,
  // if the move's claim still holds it. not_found: no such job; fenced: another claim took the
  // job over since (JobMove::claim); conflict: the job is not in a state the transition leaves.
  virtual Result<void> transition_job(const JobMove& move) = 0;
  // Renews the lease of each job these claims still hold: its claim time (updated_at) becomes now
  // and its lease ends one StoreOptions::job_lease later (JobRecord::lease_expires_at), so that a
  // job running longer than a lease is not taken for a dead daemon's and claimed again. A claim
  // that no longer holds its job (the job moved on, or another claim took it over) is skipped;
  // returns how many were renewed. One commit for all of them.
  virtual Result<int> renew_leases(const std::vector<JobClaim>& claims) = 0;
  virtual Result<JobRecord> get_job(std::int64_t id) = 0;                         // not_found
  virtual Result<std::vector<JobRecord>> list_jobs(const JobFilter& filter) = 0;  // by id
  // Dead jobs back to queued with a fresh attempt budget and no deaths. Returns how many (0:
  // none was dead).
  virtual Result<int> requeue_dead(std::int64_t id) = 0;
  virtual Result<int> requeue_all_dead(const std::string& tenant) = 0;  // "" = all
  // Makes every queued job waiting for its provider (JobTransition::wait_for_provider) due now
  // (a reload may have brought its provider back, and closes the breakers). Returns how many.
  virtual Result<int> wake_jobs_waiting_for_provider() = 0;
  // Adds one death to each job named (a plugin call of it was in flight when the plugin's
  // process died; an id named twice counts twice), whatever its state; unknown ids are skipped.
  // Nothing else of the job changes (not updated_at, a running job's claim time). Returns how
  // many deaths were recorded.
  virtual Result<int> count_job_deaths(const std::vector<std::int64_t>& job_ids) = 0;
  // The earliest run_at of a queued job (nullopt: none), so the runner knows how long to sleep.
  virtual Result<std::optional<TimePoint>> next_due_at() = 0;
  virtual Result<QueueStats> queue_stats() = 0;
  virtual Result<std::vector<ProviderQueue>> queue_by_provider() = 0;
  // Open orders not updated since `no_news_since` with no poll job queued, running, or run since
  // then: the reconciler polls them. Oldest first, at most `limit`.
  virtual Result<std::vector<QuietOrder>> quiet_orders(TimePoint no_news_since, int limit) = 0;
  // Every stored order, counted by status: a read of the whole table, for the operator's overview.
  virtual Result<std::map<std::string, std::int64_t>> orders_by_status() = 0;
  // What was created and finished in [since, until). A done job counts at its last update, which
  // is its finish; retention deletes done jobs only days later.
  virtual Result<ActivityCounts> activity_between(TimePoint since, TimePoint until) = 0;

  // Retention, in one commit of at most request.max_rows rows: for orders in a finished status
  // not updated since finished_before, clears the candidate's personal data (candidate_json
  // keeps only the candidate id) and deletes their timeline lines, done jobs, webhook event ids
  // and sightings, once per order; then webhook sightings of no stored order and callback event
  // keys received before finished_before. Open orders keep everything. Call it again until
  // Purged::total() is 0.
  virtual Result<Purged> purge_expired(const PurgeRequest& request) = 0;

  // Called (from the writer thread, or on PostgreSQL the writing thread, after commit) whenever a
  // commit may have made jobs claimable, with how many of each kind: the jobs it enqueued or
  // requeued, and when it moved a job out of running (a transition, or ChangeSet::finish_job),
  // the jobs of that job's order waiting in the queue, which may have waited for it (the moved
  // job among them when queued again). A job due later counts too: the runner then sleeps until
  // it is due. Jobs of a kind the commit did not read (an operator's requeue) count for both
  // kinds. Keep it cheap: notify a condition variable.
  virtual void set_jobs_listener(std::function<void(const JobsDue&)> listener) = 0;

  virtual StoreStats stats() const = 0;
  // Stops the writer after finishing queued writes. Further operations fail with closed.
  // Idempotent.
  virtual void close() = 0;

  // The transitions by name, for readable callers; `job` is the claim that moves the job (the
  // record claim_due_jobs returned converts to it).
  Result<void> finish_job(const JobClaim& job) {
    return transition_job({job.id, JobTransition::finish, {}, {}, job.number});
  }
  Result<void> retry_job(const JobClaim& job, TimePoint run_at, const std::string& error) {
    return transition_job({job.id, JobTransition::retry, run_at, error, job.number});
  }
  Result<void> defer_job(const JobClaim& job, TimePoint run_at, const std::string& note) {
    return transition_job({job.id, JobTransition::defer, run_at, note, job.number});
  }
  Result<void> wait_for_provider(const JobClaim& job, TimePoint run_at, const std::string& note) {
    return transition_job({job.id, JobTransition::wait_for_provider, run_at, note, job.number});
  }
  // A running job by its claim, or a queued one by JobClaim{id, 0}.
  Result<void> kill_job(const JobClaim& job, const std::string& error) {
    return transition_job({job.id, JobTransition::kill, {}, error, job.number});
  }
};

struct StoreOptions {
  Clock clock;  // default: system_clock::now
  int busy_timeout_ms = 5000;
  int max_batch = 512;  // writes per group commit
  // The daemon owns the job queue: at its start, jobs left running belong to a dead process and
  // go back to the queue. Another process opening the same file while the daemon runs (the
  // ttbridge CLI) must not do that, or it would hand the daemon's running jobs out twice.
  bool recover_interrupted_jobs = true;
  // PostgreSQL, where several daemons share the jobs: the lease of this store's claims. A running
  // job whose claimer's lease has ended, and whose claim was made or last renewed (renew_leases)
  // longer ago than this store's own lease, is presumed to belong to a daemon that died, and is
  // claimable again (docs/scaling.md). The daemon sets it from jobs.lease_s, 30 s by default, and
  // renews the claims of its running jobs three times per lease. SQLite needs none (one process).
  std::chrono::seconds job_lease{30};
  // PostgreSQL: the name this store's claims give as their lease's owner (JobRecord::lease_owner),
  // so that an operator sees which daemon runs a job. Empty: "HOST:PID" of this process.
  std::string lease_owner;
  // Test seam, called in the writer thread just before each COMMIT: returning an error text makes
  // that commit fail as if the disk had failed (the transaction is rolled back).
  std::function<std::optional<std::string>()> before_commit;
};

// "sqlite://PATH" (relative or absolute path; the directory must exist) or
// "postgresql://USER@HOST:PORT/DB" ("postgres://" too; any libpq connection URI). Applies pending
// migrations and, on SQLite, requeues jobs left running by a crash. A SQLite file (and its -wal and
// -shm files) is readable by its owner only: it holds candidates' personal data and each order's
// callback secret. The error says what failed, where, and what to do.
Result<std::unique_ptr<Store>> open_store(const std::string& url, StoreOptions options = {});

// Applies the pending migrations of the store at `url` (as open_store does, touching no job) and
// returns its schema version, the highest migration the database records (above this build's
// when a newer ttbridge migrated it): for `ttbridge store migrate`, before daemons start.
Result<int> migrate_store(const std::string& url);

}  // namespace ttb::store
