#pragma once
// The durable store of orders, jobs, timelines and dedupe keys. Every write returns only after it
// is committed to disk (fsync'd); concurrent writers share commits (group commit). Reads see
// committed data. Two implementations: SQLite (embedded default) and, later, PostgreSQL.
//
// Errors: writes report store failures in their result (the caller answers 503, never 2xx).
// Reads throw StoreError when the database itself fails (I/O, corruption): that is not an
// expected outcome of outside input.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/change_set.h"
#include "store/records.h"

namespace ttb::store {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct AcceptResult {
  // other_tenant: the event id or order id is already another tenant's order; nothing is
  // written and nothing of that order is returned.
  enum class Outcome { created, duplicate, other_tenant, error };
  Outcome outcome = Outcome::error;
  std::string order_id;   // the new order, or the one the duplicate hit
  int answer_status = 0;  // created: as given; duplicate: the first order's answer
  std::string answer_body;
  std::string error;
};

// A webhook whose signature verified, recorded before any other check so that its event id
// cannot be used again with another body (the signature covers only the event id).
struct WebhookSighting {
  std::string event_id;
  std::string body_digest;  // e.g. hex SHA-256 of the raw body
};
enum class SightingOutcome {
  first,       // never seen: recorded now
  same_body,   // seen with this very body: a retry
  accepted,    // seen with another body, but an order was accepted under this event id: a
               // redelivery, which can only get that order's stored answer (accept_order)
  other_body,  // seen with another body and never accepted: a replay of the signature
};

struct OrderFilter {
  std::string tenant;  // "" = all
  std::string status;  // "" = all
  int limit = 100;
};

struct JobFilter {
  bool dead_only = false;
  std::string tenant;    // "" = all
  std::string order_id;  // "" = all
  int limit = 100;
};

// How the note of a job deferred because its provider is not configured begins (jobs/ writes
// it with defer_job; wake_jobs_waiting_for_provider finds the job by it).
inline constexpr const char* kWaitingForProvider = "waiting for provider: ";

// The seam for per-tenant/per-provider limits (jobs/job_limits.h): claim skips jobs it refuses.
using ClaimAdmit = std::function<bool(const std::string& tenant, const std::string& provider)>;

struct ClaimRequest {
  // A constructor rather than an aggregate, so {now, limit, admit} keeps compiling warning-free
  // as fields are added.
  ClaimRequest(TimePoint now_ = {}, int limit_ = 1, ClaimAdmit admit_ = {})
      : now(now_), limit(limit_), admit(std::move(admit_)) {}

  TimePoint now{};
  int limit = 1;
  ClaimAdmit admit;  // empty = admit all
  // Tenants and "tenant/provider" pairs at their limit right now: their jobs are skipped in the
  // query itself, so a backlog of one tenant cannot hide the due jobs of the others.
  std::vector<std::string> skip_tenants;
  std::vector<std::string> skip_providers;
};

struct StoreStats {
  std::uint64_t transactions = 0;  // commits that reached the disk
  std::uint64_t writes = 0;        // write requests served (many per transaction under load)
  std::uint64_t failed_transactions = 0;
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

// An open order (invited or in progress) that had no news for a while and no poll lately.
struct QuietOrder {
  std::string id;
  std::string tenant;
  std::string provider;
  TimePoint updated_at{};
};

struct WriteResult {
  bool ok = false;
  std::string error;
};

class Store {
 public:
  virtual ~Store() = default;

  // Orders. accept_order inserts the order, its first invite job and a "received" timeline line
  // atomically. A repeated event id or order id of the same tenant creates nothing and returns
  // the first answer; one of another tenant creates nothing and returns other_tenant.
  virtual AcceptResult accept_order(const NewOrder& order) = 0;
  // Records the event id and body digest of a verified webhook (nullopt: store error).
  virtual std::optional<SightingOutcome> record_webhook_sighting(
      const WebhookSighting& sighting) = 0;
  virtual std::optional<OrderRecord> get_order(const std::string& id) = 0;
  virtual std::vector<OrderRecord> list_orders(const OrderFilter& filter) = 0;
  virtual std::optional<OrderRecord> find_order_by_vendor_id(
      const std::string& tenant, const std::string& provider,
      const std::string& vendor_order_id) = 0;
  virtual std::vector<TimelineEntry> timeline(const std::string& order_id) = 0;

  // Applies order changes, new jobs, a job completion and a callback dedupe key atomically.
  virtual CommitResult commit(const ChangeSet& changes) = 0;
  // Records a callback event id on its own: true the first time, false when already seen.
  virtual std::optional<bool> record_callback_event(const CallbackEventKey& key) = 0;

  // Jobs.
  virtual std::optional<std::int64_t> enqueue_job(const NewJob& job) = 0;  // nullopt: store error
  // Marks up to `limit` due, queued jobs running (attempts + 1) and returns them. Jobs of one
  // order never run concurrently, and push jobs of one order are claimed in enqueue order.
  virtual std::vector<JobRecord> claim_due_jobs(const ClaimRequest& request) = 0;
  virtual WriteResult finish_job(std::int64_t id) = 0;
  virtual WriteResult retry_job(std::int64_t id, TimePoint run_at, const std::string& error) = 0;
  // Back to queued without counting the attempt (e.g. the provider is not configured right now).
  virtual WriteResult defer_job(std::int64_t id, TimePoint run_at, const std::string& note) = 0;
  virtual WriteResult kill_job(std::int64_t id, const std::string& error) = 0;  // dead letter
  virtual std::optional<JobRecord> get_job(std::int64_t id) = 0;
  virtual std::vector<JobRecord> list_jobs(const JobFilter& filter) = 0;
  // Dead jobs back to queued with a fresh attempt budget. Returns how many (nullopt: store error).
  virtual std::optional<int> requeue_dead(std::int64_t id) = 0;
  virtual std::optional<int> requeue_all_dead(const std::string& tenant) = 0;  // "" = all
  // Makes every job deferred with a note starting with kWaitingForProvider due now (a reload
  // may have brought its provider back). Returns how many (nullopt: store error).
  virtual std::optional<int> wake_jobs_waiting_for_provider() = 0;
  // The earliest run_at of a queued job, so the runner knows how long it may sleep.
  virtual std::optional<TimePoint> next_due_at() = 0;
  virtual QueueStats queue_stats() = 0;
  virtual std::vector<ProviderQueue> queue_by_provider() = 0;
  // Open orders not updated since `no_news_since` with no poll job queued, running, or run since
  // then: the reconciler polls them. Oldest first, at most `limit`.
  virtual std::vector<QuietOrder> quiet_orders(TimePoint no_news_since, int limit) = 0;

  // Called (from the writer thread, after commit) whenever jobs were enqueued or requeued.
  // Keep it cheap: notify a condition variable.
  virtual void set_jobs_listener(std::function<void()> listener) = 0;

  virtual StoreStats stats() const = 0;
  // Stops the writer after finishing queued writes. Further writes fail. Idempotent.
  virtual void close() = 0;
};

struct StoreOptions {
  Clock clock;  // default: system_clock::now
  int busy_timeout_ms = 5000;
  int max_batch = 512;  // writes per group commit
  // The daemon owns the job queue: at its start, jobs left running belong to a dead process and
  // go back to the queue. Another process opening the same file while the daemon runs (the
  // ttbridge CLI) must not do that, or it would hand the daemon's running jobs out twice.
  bool recover_interrupted_jobs = true;
  // Test seam, called in the writer thread just before each COMMIT: returning an error text makes
  // that commit fail as if the disk had failed (the transaction is rolled back).
  std::function<std::optional<std::string>()> before_commit;
};

struct OpenResult {
  std::unique_ptr<Store> store;
  std::string error;  // says what failed, where, and what to do
};

// "sqlite://PATH" (relative or absolute path; the directory must exist) or, later,
// "postgresql://...". Applies pending migrations and requeues jobs left running by a crash.
OpenResult open_store(const std::string& url, StoreOptions options = {});

}  // namespace ttb::store
