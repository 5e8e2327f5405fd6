#include "store/sqlite_store.h"

#include <algorithm>
#include <array>
#include <future>
#include <limits>
#include <map>
#include <utility>

#include "ops/thread_name.h"
#include "store/claim_sql.h"
#include "store/job_transition_sql.h"
#include "store/migrations.h"
#include "store/private_file.h"

namespace ttb::store {
namespace {

// When the checkpoint thread copies the WAL back, and when the writer catches up itself because
// that thread could not keep up (about 64 MiB of WAL). A checkpoint copies each page once, its
// last version, and the same hot pages (the ends of the indexes, the queue's) are in nearly
// every commit: four times SQLite's default of 1,000 frames copies far fewer pages per order
// (docs/performance.md, "Checkpoints off the writer").
constexpr int kCheckpointStartFrames = 4000;
constexpr int kCheckpointCatchUpFrames = 16000;
// Reading connections at most (reader_pool.h): the request path's short reads, a slow
// background scan and a console listing at once, with one to spare.
constexpr int kMaxReaders = 4;
// The writer's page cache, in KiB (PRAGMA cache_size takes a negative count as KiB).
constexpr int kWriterCacheKiB = 16 * 1024;

const char* const kOrderColumns =
    "id, event_id, tenant, provider, test_id, company_uuid, candidate_json, job_json, "
    "options_json, callback_url, locale, status, failure_reason, vendor_order_id, "
    "vendor_state_json, result_json, result_version, pushed_version, answer_status, answer_body, "
    "created_at, updated_at, version, applied_revision";

OrderRecord read_order(const Statement& s) {
  OrderRecord o;
  o.id = s.text(0);
  o.event_id = s.text(1);
  o.tenant = s.text(2);
  o.provider = s.text(3);
  o.test_id = s.text(4);
  o.company_uuid = s.text(5);
  o.candidate_json = s.text(6);
  o.job_json = s.text(7);
  o.options_json = s.text(8);
  o.callback_url = s.text(9);
  o.locale = s.text(10);
  o.status = s.text(11);
  o.failure_reason = s.text(12);
  o.vendor_order_id = s.text(13);
  o.vendor_state_json = s.text(14);
  o.result_json = s.text(15);
  o.result_version = s.int64(16);
  o.pushed_version = s.int64(17);
  o.answer_status = static_cast<int>(s.int64(18));
  o.answer_body = s.text(19);
  o.created_at = from_ms(s.int64(20));
  o.updated_at = from_ms(s.int64(21));
  o.version = s.int64(22);
  if (!s.is_null(23)) o.applied_revision = s.int64(23);
  return o;
}

const char* const kJobColumns =
    "id, order_id, tenant, provider, kind, state, attempts, max_attempts, run_at, last_error, "
    "payload_json, created_at, updated_at, waiting_for_provider, deaths, claims";

JobRecord read_job(const Statement& s) {
  JobRecord j;
  j.id = s.int64(0);
  j.order_id = s.text(1);
  j.tenant = s.text(2);
  j.provider = s.text(3);
  j.kind = parse_job_kind(s.text(4)).value_or(JobKind::invite);
  j.state = parse_job_state(s.text(5)).value_or(JobState::dead);
  j.attempts = static_cast<int>(s.int64(6));
  j.max_attempts = static_cast<int>(s.int64(7));
  j.run_at = from_ms(s.int64(8));
  j.last_error = s.text(9);
  j.payload_json = s.text(10);
  j.created_at = from_ms(s.int64(11));
  j.updated_at = from_ms(s.int64(12));
  j.waiting_for_provider = s.int64(13) != 0;
  j.deaths = static_cast<int>(s.int64(14));
  j.claims = static_cast<int>(s.int64(15));
  return j;
}

void insert_timeline(SqliteDb& db, const std::string& order_id, const TimelineEntry& entry,
                     std::int64_t now) {
  db.prepare(
        "INSERT INTO timeline (order_id, order_seq, at, source, event, detail) "
        "VALUES ($1, (SELECT seq FROM orders WHERE id = $1), $2, $3, $4, $5)")
      .bind(1, order_id)
      .bind(2, entry.at == TimePoint{} ? now : to_ms(entry.at))
      .bind(3, entry.source)
      .bind(4, entry.event)
      .bind(5, entry.detail)
      .run();
}

bool event_accepted(SqliteDb& db, const std::string& event_id) {
  auto q = db.prepare("SELECT 1 FROM webhook_events WHERE event_id = $1");
  q.bind(1, event_id);
  return q.step();
}

// What a sighting of `sighting` means given the sightings stored: first when none has its event
// id. An accepted webhook leaves none (its event id's row in webhook_events stands for it), so an
// accepted event id without a sighting is first here too, and accept_in then finds its order by
// the event id.
SightingOutcome judge_sighting(SqliteDb& db, const WebhookSighting& sighting) {
  auto q = db.prepare("SELECT body_digest FROM webhook_sightings WHERE event_id = $1");
  q.bind(1, sighting.event_id);
  if (!q.step()) return SightingOutcome::first;
  if (q.text(0) == sighting.body_digest) return SightingOutcome::same_body;
  return event_accepted(db, sighting.event_id) ? SightingOutcome::accepted
                                               : SightingOutcome::other_body;
}

// A refused webhook's sighting: recorded unless its event id is known, and judged. An order
// accepted under the id answers any body with that order's stored answer, so the id needs no
// sighting then (accepted).
SightingOutcome record_sighting(SqliteDb& db, const WebhookSighting& sighting, std::int64_t now) {
  if (event_accepted(db, sighting.event_id)) return SightingOutcome::accepted;
  auto ins = db.prepare(
      "INSERT INTO webhook_sightings (event_id, body_digest, received_at) "
      "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING");
  ins.bind(1, sighting.event_id).bind(2, sighting.body_digest).bind(3, now).run();
  if (ins.changes() > 0) return SightingOutcome::first;
  return judge_sighting(db, sighting);
}

// The UPDATE of an order, naming status and vendor_order_id only when the change moves them.
// SQLite deletes and re-inserts an order's entry in every index holding a column named in SET,
// changed or not: a push's record (only pushed_version and updated_at move) rewrote its entries
// in orders_by_tenant and orders_by_vendor_id for nothing, and dirtied their pages for the WAL
// (docs/performance.md, "One index less per order update").
const std::string& order_update_sql(bool status_moves, bool vendor_id_moves) {
  static const auto kSql = [] {
    std::array<std::string, 4> sql;
    for (int variant = 0; variant < 4; ++variant) {
      const bool status = variant & 1;
      const bool vendor_id = variant & 2;
      sql[variant] = std::string("UPDATE orders SET ") + (status ? "status = $2, " : "") +
                     "failure_reason = $3, " + (vendor_id ? "vendor_order_id = $4, " : "") +
                     "vendor_state_json = $5, result_json = $6, result_version = $7, "
                     "pushed_version = $8, updated_at = $9, version = $10, "
                     "applied_revision = $11 WHERE id = $1";
    }
    return sql;
  }();
  return kSql[(status_moves ? 1 : 0) | (vendor_id_moves ? 2 : 0)];
}

// After a migration that rebuilt a table with foreign keys off: every reference must still find
// its row, or the migration is rolled back.
void refuse_broken_references(SqliteDb& db, const Migration& m) {
  auto check = db.prepare("PRAGMA foreign_key_check");
  if (!check.step()) return;
  throw SqlError("migration " + std::to_string(m.version) + " (" + m.name + ") left a row of " +
                     check.text(0) + " whose " + check.text(2) + " row is missing",
                 SQLITE_CONSTRAINT_FOREIGNKEY);
}

void apply_migrations(SqliteDb& db, std::int64_t now) {
  db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
      "name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
  for (const auto& m : migrations(Dialect::sqlite)) {
    auto q = db.prepare("SELECT 1 FROM schema_migrations WHERE version = $1");
    q.bind(1, m.version);
    if (q.step()) continue;
    // Outside the transaction: SQLite ignores this pragma inside one.
    if (m.rebuilds_tables) db.exec("PRAGMA foreign_keys=OFF");
    db.exec("BEGIN IMMEDIATE");
    try {
      db.exec(m.sql);
      if (m.rebuilds_tables) refuse_broken_references(db, m);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
          .bind(1, m.version)
          .bind(2, m.name)
          .bind(3, now)
          .run();
      db.exec("COMMIT");
    } catch (const SqlError&) {
      db.exec("ROLLBACK");
      if (m.rebuilds_tables) db.exec("PRAGMA foreign_keys=ON");
      throw;
    }
    if (m.rebuilds_tables) db.exec("PRAGMA foreign_keys=ON");
  }
}

// The four columns of queued_of_order_columns (job_transition_sql.h), from `first` on.
JobsDue queued_of_order(Statement& row, int first) {
  JobsDue due;
  due.pushes.now = static_cast<int>(row.int64(first));
  due.vendor_work.now = static_cast<int>(row.int64(first + 1));
  if (!row.is_null(first + 2)) due.pushes.next = from_ms(row.int64(first + 2));
  if (!row.is_null(first + 3)) due.vendor_work.next = from_ms(row.int64(first + 3));
  return due;
}

}  // namespace

std::string json_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const auto& item : items) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (char c : item) {
      if (c == '"' || c == '\\') out += '\\';
      if (static_cast<unsigned char>(c) >= 0x20) out += c;
    }
    out += '"';
  }
  return out + "]";
}

std::unique_ptr<SqliteStore> SqliteStore::open(const std::string& path, StoreOptions options,
                                               std::string& error,
                                               WalSyncer::BeforeSync before_sync) {
  if (!options.clock) options.clock = [] { return std::chrono::system_clock::now(); };
  if (options.max_batch < 1) options.max_batch = 1;
  // Before SQLite creates the file: it gives the -wal and -shm files the mode of the database.
  if (auto refused = make_owner_only(path)) {
    error = *refused;
    return nullptr;
  }
  try {
    auto writer = std::make_unique<SqliteDb>(path, options.busy_timeout_ms);
    const std::int64_t now = to_ms(options.clock());
    apply_migrations(*writer, now);
    // An older daemon still running when a newer `ttbridge store migrate` applied migration 15
    // writes rows without order_seq; found by their order only once it is set. Cheap when there
    // are none: each table's index of order_seq starts with the NULLs.
    for (const auto& table : sqlite_order_seq_tables()) writer->exec(sqlite_fill_order_seq(table));
    // A job marked running belongs to a process that is gone (one process owns a SQLite file):
    // hand it back to the queue. The interrupted attempt counts, so a job that kills the daemon
    // every time ends up dead instead of looping.
    if (options.recover_interrupted_jobs) {
      writer
          ->prepare(
              "UPDATE jobs SET state = 'queued', run_at = $1, updated_at = $1, "
              "last_error = 'interrupted: the daemon stopped while the job was running' "
              "WHERE state = 'running'")
          .bind(1, now)
          .run();
    }
    auto readers = std::make_unique<ReaderPool<SqliteDb>>(
        [path, busy_timeout_ms = options.busy_timeout_ms] {
          return std::make_unique<SqliteDb>(path, busy_timeout_ms);
        },
        kMaxReaders);
    // From here on the writer's COMMIT only appends to the WAL; the syncer makes it durable
    // before anyone is answered. NORMAL, not OFF: SQLite then still syncs the WAL before each
    // checkpoint copies it into the database, and the database before the WAL is reused
    // (docs/reliability.md, "Pipelined commits and durability").
    writer->exec("PRAGMA synchronous=NORMAL");
    // SQLite keeps the pages a savepoint (a batch's writes after one failed) or a statement that
    // may fail halfway may have to restore in a statement journal: by default a temporary file,
    // which took two thirds of the bytes the writer wrote when every write had a savepoint. It
    // only ever rolls back inside a transaction (the WAL, not it, makes commits atomic across a
    // crash), so memory holds it: a batch's pages at most (docs/performance.md, "Savepoints
    // journalled to a file").
    writer->exec("PRAGMA temp_store=MEMORY");
    // The writer touches the indexes of every table on each webhook, most of them keyed by random
    // ids, and SQLite's default cache (2 MiB) kept re-reading their pages from the OS: 8 % of
    // the writer's samples in a profile of ingest (docs/performance.md, "The webhook's JSON, its
    // log line and SQLite's bookkeeping"). The cache fills only as pages are read.
    writer->exec("PRAGMA cache_size=-" + std::to_string(kWriterCacheKiB));
    // The WAL exists: the migrations' reads opened it, and it stays while a connection is open.
    auto syncer = std::make_unique<WalSyncer>(
        sqlite3_filename_wal(sqlite3_db_filename(writer->handle(), "main")),
        std::move(before_sync));
    // The WAL is copied back on a thread of its own, not inside the writer's commits.
    auto checkpointer =
        std::make_unique<WalCheckpointer>(std::make_unique<SqliteDb>(path, options.busy_timeout_ms),
                                          kCheckpointStartFrames, kCheckpointCatchUpFrames);
    checkpointer->attach(writer->handle());
    return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(writer), std::move(readers),
                                                        std::move(syncer), std::move(checkpointer),
                                                        std::move(options)));
  } catch (const SqlError& e) {
    error = std::string(e.what()) + " (store file '" + path + "')";
    return nullptr;
  } catch (const std::runtime_error& e) {
    error = std::string(e.what()) + " (store file '" + path + "')";
    return nullptr;
  }
}

SqliteStore::SqliteStore(std::unique_ptr<SqliteDb> writer,
                         std::unique_ptr<ReaderPool<SqliteDb>> readers,
                         std::unique_ptr<WalSyncer> syncer,
                         std::unique_ptr<WalCheckpointer> checkpointer, StoreOptions options)
    : options_(std::move(options)),
      writer_db_(std::move(writer)),
      readers_(std::move(readers)),
      syncer_(std::move(syncer)),
      checkpointer_(std::move(checkpointer)) {
  writer_ = std::thread([this] {
    ops::name_this_thread("ttb-writer");
    writer_loop();
  });
}

SqliteStore::~SqliteStore() {
  close();
}

void SqliteStore::close() {
  {
    std::lock_guard lock(queue_mutex_);
    if (closing_ && !writer_.joinable()) return;
    closing_ = true;
  }
  queue_cv_.notify_all();
  if (writer_.joinable()) writer_.join();
  // The writer has handed over its last batch: answer it after a last sync.
  syncer_->stop();
  checkpointer_->stop();  // the writer's thread is gone: no commit calls its hook any more
}

std::int64_t SqliteStore::now_ms() const {
  return to_ms(options_.clock());
}

Error error_of(const SqlError& e, const std::string& context) {
  return {e.is_constraint() ? Error::Code::invalid : Error::Code::unavailable, context + e.what()};
}

template <class T>
void SqliteStore::write_async(std::function<Result<T>(SqliteDb&)> body,
                              std::function<void(Result<T>)> done) {
  auto value = std::make_shared<std::optional<Result<T>>>();
  WriteOp op;
  op.run = [body = std::move(body), value](SqliteDb& db) {
    // Assigned from a named result, not emplaced from the call: GCC 12 at -O3 flags the
    // temporary's vector as freed without being allocated (a false -Wfree-nonheap-object).
    Result<T> produced = body(db);
    const bool ok = produced.ok();
    *value = std::move(produced);
    return ok;
  };
  op.finished = [done, value](const Error* error) {
    if (error) {
      done(*error);
    } else if (!*value) {
      done(Error{Error::Code::unavailable, "the write produced no result"});
    } else {
      done(std::move(**value));
    }
  };
  bool queued = false;
  {
    std::lock_guard lock(queue_mutex_);
    if (!closing_) {
      queue_.push_back(std::move(op));
      queued = true;
    }
  }
  if (!queued) return done(Error{Error::Code::closed, "the store is closed"});
  queue_cv_.notify_one();
}

template <class T>
Result<T> SqliteStore::write(std::function<Result<T>(SqliteDb&)> body) {
  // Shared with the callback: the promise must outlive set_value, which may still be returning
  // on the syncer's thread when this one wakes and returns.
  auto promise = std::make_shared<std::promise<Result<T>>>();
  auto future = promise->get_future();
  write_async<T>(std::move(body),
                 [promise](Result<T> result) { promise->set_value(std::move(result)); });
  return future.get();
}

std::int64_t SqliteStore::insert_job(SqliteDb& db, const NewJob& job, std::int64_t now) {
  db.prepare(
        "INSERT INTO jobs (order_id, order_seq, tenant, provider, kind, state, attempts, "
        "max_attempts, run_at, last_error, payload_json, created_at, updated_at) "
        "VALUES ($1, (SELECT seq FROM orders WHERE id = $1), $2, $3, $4, 'queued', 0, $5, $6, "
        "'', $7, $8, $8)")
      .bind(1, job.order_id)
      .bind(2, job.tenant)
      .bind(3, job.provider)
      .bind(4, to_string(job.kind))
      .bind(5, job.max_attempts)
      .bind(6, job.run_at ? to_ms(*job.run_at) : now)
      .bind(7, job.payload_json.empty() ? std::string("{}") : job.payload_json)
      .bind(8, now)
      .run();
  due_.of(job.kind).add(job.run_at ? *job.run_at : from_ms(now), from_ms(now));
  return db.last_insert_id();
}

Result<Accepted> SqliteStore::accept_order(const NewOrder& order) {
  return write<Accepted>(
      [this, &order](SqliteDb& db) -> Result<Accepted> { return accept_in(db, order); });
}

void SqliteStore::accept_order_async(NewOrder order, AcceptDone done) {
  auto owned = std::make_shared<const NewOrder>(std::move(order));
  write_async<Accepted>(
      [this, owned](SqliteDb& db) -> Result<Accepted> { return accept_in(db, *owned); },
      std::move(done));
}

Result<Accepted> SqliteStore::accept_in(SqliteDb& db, const NewOrder& order) {
  Accepted result;
  const std::int64_t now = now_ms();
  // The webhook's sighting first: a replayed signature writes nothing at all. It is recorded
  // only when no order takes its event id (other_tenant below): an accepted order's row in
  // webhook_events judges the id's later sightings, so writing one more row and one more random
  // index entry per webhook bought nothing (docs/performance.md, "A sighting only for a webhook
  // not accepted").
  const bool sighted = !order.sighting_digest.empty() && !order.event_id.empty();
  if (sighted &&
      judge_sighting(db, {order.event_id, order.sighting_digest}) == SightingOutcome::other_body) {
    result.outcome = Accepted::Outcome::replay;
    return result;
  }
  // A known order answers its first answer, but only to its own tenant: ids come from the
  // sender, so another tenant's id must neither reveal that order nor be taken over.
  auto known = [&](const std::string& order_id) {
    auto q = db.prepare("SELECT tenant, answer_status, answer_body FROM orders WHERE id = $1");
    q.bind(1, order_id);
    if (!q.step()) return false;
    if (q.text(0) != order.tenant) {
      result.outcome = Accepted::Outcome::other_tenant;
      return true;
    }
    result.outcome = Accepted::Outcome::duplicate;
    result.order_id = order_id;
    result.answer_status = static_cast<int>(q.int64(1));
    result.answer_body = q.text(2);
    return true;
  };
  if (!order.event_id.empty()) {
    auto q = db.prepare("SELECT order_id FROM webhook_events WHERE event_id = $1");
    q.bind(1, order.event_id);
    if (q.step() && known(q.text(0))) return result;
  }
  if (known(order.id)) {
    // Another tenant's order id: the event id is spent without an order, so its sighting is kept.
    if (result.outcome == Accepted::Outcome::other_tenant && sighted) {
      record_sighting(db, {order.event_id, order.sighting_digest}, now);
    }
    // A new event for a known order: remember it so its replays are recognised too.
    if (result.outcome == Accepted::Outcome::duplicate && !order.event_id.empty()) {
      db.prepare(
            "INSERT INTO webhook_events (event_id, order_id, order_seq, received_at) "
            "VALUES ($1, $2, (SELECT seq FROM orders WHERE id = $2), $3) ON CONFLICT DO NOTHING")
          .bind(1, order.event_id)
          .bind(2, order.id)
          .bind(3, now)
          .run();
    }
    return result;
  }
  db.prepare(std::string("INSERT INTO orders (") + kOrderColumns +
             ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'received', '', '', "
             "'{}', '{}', 0, 0, $12, $13, $14, $14, 1, NULL)")
      .bind(1, order.id)
      .bind(2, order.event_id)
      .bind(3, order.tenant)
      .bind(4, order.provider)
      .bind(5, order.test_id)
      .bind(6, order.company_uuid)
      .bind(7, order.candidate_json.empty() ? std::string("{}") : order.candidate_json)
      .bind(8, order.job_json.empty() ? std::string("{}") : order.job_json)
      .bind(9, order.options_json.empty() ? std::string("{}") : order.options_json)
      .bind(10, order.callback_url)
      .bind(11, order.locale)
      .bind(12, order.answer_status)
      .bind(13, order.answer_body)
      .bind(14, now)
      .run();
  if (!order.event_id.empty()) {
    db.prepare(
          "INSERT INTO webhook_events (event_id, order_id, order_seq, received_at) "
          "VALUES ($1, $2, (SELECT seq FROM orders WHERE id = $2), $3)")
        .bind(1, order.event_id)
        .bind(2, order.id)
        .bind(3, now)
        .run();
  }
  insert_job(db, invite_job_for(order), now);
  insert_timeline(db, order.id, {TimePoint{}, "teamtailor", "received", order.timeline_detail},
                  now);
  return Accepted::created_from(order);
}

Result<Committed> SqliteStore::commit(const ChangeSet& changes) {
  return write<Committed>([this, &changes](SqliteDb& db) -> Result<Committed> {
    Committed result;
    const std::int64_t now = now_ms();
    // Checks first, writes after: a conflict or duplicate leaves nothing behind.
    // Several changes of one order in one set are checked against each other in order.
    std::map<std::string, OrderRecord> tracked;
    // Per change: the order as that change leaves it, and which of its indexed columns it moves.
    struct Planned {
      OrderRecord after;
      bool status_moves;
      bool vendor_id_moves;
    };
    std::vector<Planned> planned;
    for (const auto& change : changes.orders) {
      auto it = tracked.find(change.order_id);
      if (it == tracked.end()) {
        auto q = db.prepare(std::string("SELECT ") + kOrderColumns + " FROM orders WHERE id = $1");
        q.bind(1, change.order_id);
        if (!q.step()) {
          return Error{Error::Code::conflict, "order " + change.order_id + " does not exist"};
        }
        it = tracked.emplace(change.order_id, read_order(q)).first;
      }
      OrderRecord& current = it->second;
      if (current.version != change.expected_version) {
        return Error{Error::Code::conflict, "order " + change.order_id + " changed meanwhile"};
      }
      const bool status_moves = change.status && *change.status != current.status;
      const bool vendor_id_moves =
          change.vendor_order_id && *change.vendor_order_id != current.vendor_order_id;
      apply_change(current, change);
      planned.push_back({current, status_moves, vendor_id_moves});
    }
    JobsDue unblocked;  // by the finish: its order's jobs waiting in the queue
    if (changes.finish_job) {
      static const std::string kFinishing = "SELECT j.state, j.claims, " +
                                            queued_of_order_columns("j", "order_seq") +
                                            " FROM jobs j WHERE j.id = $1";
      auto job = db.prepare(kFinishing);
      job.bind(1, changes.finish_job->id).bind(2, now);
      if (!job.step()) {
        return Error{Error::Code::conflict,
                     "job " + std::to_string(changes.finish_job->id) + " does not exist"};
      }
      if (auto refused =
              finish_refusal(*changes.finish_job, job.text(0), static_cast<int>(job.int64(1)))) {
        return *refused;
      }
      // Read before this set enqueues its own jobs, which count as they are inserted.
      unblocked = queued_of_order(job, 2);
    }
    if (changes.callback_event) {
      const auto& key = *changes.callback_event;
      auto ins = db.prepare(
          "INSERT INTO callback_events (tenant, provider, event_id, "
          "received_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING");
      ins.bind(1, key.tenant).bind(2, key.provider).bind(3, key.event_id).bind(4, now).run();
      if (ins.changes() == 0) {
        result.duplicate = true;
        return result;
      }
    }
    for (size_t i = 0; i < changes.orders.size(); ++i) {
      const auto& change = changes.orders[i];
      const Planned& plan = planned[i];
      const OrderRecord& order = plan.after;
      Statement update = db.prepare(order_update_sql(plan.status_moves, plan.vendor_id_moves));
      update.bind(1, change.order_id).bind(3, order.failure_reason);
      if (plan.status_moves) update.bind(2, order.status);
      if (plan.vendor_id_moves) update.bind(4, order.vendor_order_id);
      update.bind(5, order.vendor_state_json)
          .bind(6, order.result_json)
          .bind(7, order.result_version)
          .bind(8, order.pushed_version)
          .bind(9, now)
          .bind(10, order.version);
      if (order.applied_revision) {
        update.bind(11, *order.applied_revision);
      } else {
        update.bind_null(11);
      }
      update.run();
      for (const auto& entry : change.timeline) insert_timeline(db, change.order_id, entry, now);
      if (change.result_changed) {
        NewJob push;
        push.order_id = change.order_id;
        push.tenant = order.tenant;
        push.provider = order.provider;
        push.kind = JobKind::push;
        push.payload_json = "{\"version\":" + std::to_string(order.result_version) + "}";
        result.job_ids.push_back(insert_job(db, push, now));
      }
    }
    for (const auto& job : changes.new_jobs) result.job_ids.push_back(insert_job(db, job, now));
    if (changes.finish_job) {
      if (changes.finish_as_dead) {
        db.prepare("UPDATE jobs SET state = 'dead', updated_at = $2, last_error = $3 WHERE id = $1")
            .bind(1, changes.finish_job->id)
            .bind(2, now)
            .bind(3, *changes.finish_as_dead)
            .run();
      } else {
        db.prepare("UPDATE jobs SET state = 'done', updated_at = $2 WHERE id = $1")
            .bind(1, changes.finish_job->id)
            .bind(2, now)
            .run();
      }
      due_ += unblocked;
      // After the finish, so the claim sees the order free again and the jobs this set enqueued.
      if (changes.then_claim) result.claimed = claim_in(db, *changes.then_claim, now);
    }
    return result;
  });
}

Result<SightingOutcome> SqliteStore::record_webhook_sighting(const WebhookSighting& sighting) {
  return write<SightingOutcome>([this, &sighting](SqliteDb& db) -> Result<SightingOutcome> {
    return record_sighting(db, sighting, now_ms());
  });
}

void SqliteStore::record_webhook_sighting_async(WebhookSighting sighting, SightingDone done) {
  write_async<SightingOutcome>(
      [this, sighting = std::move(sighting)](SqliteDb& db) -> Result<SightingOutcome> {
        return record_sighting(db, sighting, now_ms());
      },
      std::move(done));
}

Result<bool> SqliteStore::record_callback_event(const CallbackEventKey& key) {
  return write<bool>([this, &key](SqliteDb& db) -> Result<bool> {
    auto ins = db.prepare(
        "INSERT INTO callback_events (tenant, provider, event_id, "
        "received_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING");
    ins.bind(1, key.tenant).bind(2, key.provider).bind(3, key.event_id).bind(4, now_ms()).run();
    return ins.changes() > 0;
  });
}

Result<std::int64_t> SqliteStore::enqueue_job(const NewJob& job) {
  return write<std::int64_t>(
      [this, &job](SqliteDb& db) -> Result<std::int64_t> { return insert_job(db, job, now_ms()); });
}

Result<std::vector<JobRecord>> SqliteStore::claim_due_jobs(const ClaimRequest& request) {
  if (request.limit <= 0) return std::vector<JobRecord>{};
  return write<std::vector<JobRecord>>(
      [this, &request](SqliteDb& db) -> Result<std::vector<JobRecord>> {
        return claim_in(db, request, now_ms());
      });
}

std::vector<JobRecord> SqliteStore::claim_in(SqliteDb& db, const ClaimRequest& request,
                                             std::int64_t now) {
  if (request.limit <= 0) return {};
  // Due, queued jobs whose order has no running job; a push waits for earlier pushes of
  // its order, so results reach Teamtailor in the order they were produced.
  std::vector<JobRecord> claimed;
  {
    // The lists of full tenants and providers are left out of the statement when empty, as they
    // mostly are: SQLite builds a temporary table for each list on every run.
    std::string sql = std::string("SELECT ") + kJobColumns +
                      " FROM jobs j WHERE j.state = 'queued' AND j.run_at <= $1" +
                      claim_kind_condition(request.kinds) +
                      " AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.order_seq = j.order_seq"
                      "   AND r.state = 'running')"
                      " AND (j.kind <> 'push' OR NOT EXISTS (SELECT 1 FROM jobs p"
                      "   WHERE p.order_seq = j.order_seq AND p.kind = 'push'"
                      "   AND p.state = 'queued' AND p.id < j.id))";
    if (!request.skip_tenants.empty()) {
      sql += " AND j.tenant NOT IN (SELECT value FROM json_each($3))";
    }
    if (!request.skip_providers.empty()) {
      sql += " AND (j.tenant || '/' || j.provider) NOT IN (SELECT value FROM json_each($4))";
    }
    sql += " ORDER BY j.run_at, j.id LIMIT $2";
    auto q = db.prepare(sql);
    q.bind(1, to_ms(request.now)).bind(2, std::int64_t{request.limit} * 4 + 16);
    if (!request.skip_tenants.empty()) q.bind(3, json_array(request.skip_tenants));
    if (!request.skip_providers.empty()) q.bind(4, json_array(request.skip_providers));
    // Rows are read only until the claim is full: each one costs its subqueries and a copy of the
    // job, and a claim that rides on a job's completion asks for one job. Read ahead of the limit,
    // the candidates took a fifth of the writer's time while invitations ran (docs/performance.md,
    // "A claim reads only the jobs it takes"). No row changes under the statement's cursor: it is
    // reset before the jobs are marked.
    while (static_cast<int>(claimed.size()) < request.limit && q.step()) {
      JobRecord job = read_job(q);
      const bool order_taken =
          std::any_of(claimed.begin(), claimed.end(),
                      [&](const JobRecord& other) { return other.order_id == job.order_id; });
      if (order_taken) continue;
      if (request.admit && !request.admit(job.tenant, job.provider)) continue;
      claimed.push_back(std::move(job));
    }
  }  // the statement is reset here, before the jobs are marked
  for (auto& job : claimed) {
    db.prepare(
          "UPDATE jobs SET state = 'running', attempts = attempts + 1, claims = claims + 1, "
          "waiting_for_provider = 0, updated_at = $2 WHERE id = $1")
        .bind(1, job.id)
        .bind(2, now)
        .run();
    job.state = JobState::running;
    job.attempts += 1;
    job.claims += 1;
    job.updated_at = from_ms(now);
    job.waiting_for_provider = false;
  }
  return claimed;
}

Result<void> SqliteStore::transition_job(const JobMove& move) {
  return write<void>([this, &move](SqliteDb& db) -> Result<void> {
    const TransitionSql transition = transition_sql(move.transition);
    const std::int64_t now = now_ms();
    auto s = db.prepare(transition.sql);
    s.bind(1, move.job_id).bind(2, now).bind(3, std::int64_t{move.claim});
    int next = 4;  // job_transition_sql.h: numbered on without gaps
    if (transition.takes_run_at) s.bind(next++, to_ms(move.run_at));
    if (transition.takes_note) s.bind(next++, move.note);
    s.run();
    if (s.changes() == 0) {
      auto q = db.prepare("SELECT state, claims FROM jobs WHERE id = $1");
      q.bind(1, move.job_id);
      if (!q.step()) {
        return Error{Error::Code::not_found,
                     "job " + std::to_string(move.job_id) + " does not exist"};
      }
      return refusal(move, q.text(0), static_cast<int>(q.int64(1)));
    }
    static const std::string kQueued =
        "SELECT " + queued_of_order_columns("j", "order_seq") + " FROM jobs j WHERE j.id = $1";
    auto queued = db.prepare(kQueued);
    queued.bind(1, move.job_id).bind(2, now);
    if (queued.step()) due_ += queued_of_order(queued, 0);
    return {};
  });
}

Result<int> SqliteStore::requeue_dead(std::int64_t id) {
  return write<int>([this, id](SqliteDb& db) -> Result<int> {
    auto s = db.prepare(
        "UPDATE jobs SET state = 'queued', attempts = 0, deaths = 0, run_at = $2, "
        "waiting_for_provider = 0, updated_at = $2 WHERE id = $1 AND state = 'dead'");
    s.bind(1, id).bind(2, now_ms()).run();
    const int n = s.changes();
    if (n > 0) due_ += JobsDue::unknown(n);
    return n;
  });
}

Result<int> SqliteStore::requeue_all_dead(const std::string& tenant) {
  return write<int>([this, &tenant](SqliteDb& db) -> Result<int> {
    auto s = db.prepare(
        "UPDATE jobs SET state = 'queued', attempts = 0, deaths = 0, run_at = $2, "
        "waiting_for_provider = 0, "
        "updated_at = $2 WHERE state = 'dead' AND ($1 = '' OR tenant = $1)");
    s.bind(1, tenant).bind(2, now_ms()).run();
    const int n = s.changes();
    if (n > 0) due_ += JobsDue::unknown(n);
    return n;
  });
}

Result<int> SqliteStore::wake_jobs_waiting_for_provider() {
  return write<int>([this](SqliteDb& db) -> Result<int> {
    auto s = db.prepare(
        "UPDATE jobs SET run_at = $1 WHERE state = 'queued' AND waiting_for_provider = 1 "
        "AND run_at > $1");
    s.bind(1, now_ms()).run();
    const int n = s.changes();
    if (n > 0) due_ += JobsDue::unknown(n);
    return n;
  });
}

Result<OrderRecord> SqliteStore::get_order(const std::string& id) {
  return read<OrderRecord>([&](SqliteDb& db) -> Result<OrderRecord> {
    auto q = db.prepare(std::string("SELECT ") + kOrderColumns + " FROM orders WHERE id = $1");
    q.bind(1, id);
    if (!q.step()) return Error{Error::Code::not_found, "order " + id + " does not exist"};
    return read_order(q);
  });
}

Result<std::vector<OrderRecord>> SqliteStore::list_orders(const OrderFilter& filter) {
  return read<std::vector<OrderRecord>>([&](SqliteDb& db) -> Result<std::vector<OrderRecord>> {
    // The page cursor compares (created_at, id) with the cursor order's, in the listing's order:
    // newest first, ties by id. The e-mail is read from the candidate's JSON (json_extract).
    auto q = db.prepare(
        std::string("SELECT ") + kOrderColumns +
        " FROM orders WHERE ($1 = '' OR tenant = $1) AND ($2 = '' OR status = $2)"
        " AND ($4 = '' OR lower(json_extract(candidate_json, '$.email')) = lower($4))"
        " AND created_at >= $5 AND created_at < $6"
        " AND ($7 = '' OR created_at < (SELECT created_at FROM orders WHERE id = $7)"
        "      OR (created_at = (SELECT created_at FROM orders WHERE id = $7) AND id > $7))"
        " ORDER BY created_at DESC, id LIMIT $3");
    q.bind(1, filter.tenant).bind(2, filter.status).bind(3, filter.limit);
    q.bind(4, filter.email)
        .bind(5, filter.created_since ? to_ms(*filter.created_since)
                                      : std::numeric_limits<std::int64_t>::min())
        .bind(6, filter.created_until ? to_ms(*filter.created_until)
                                      : std::numeric_limits<std::int64_t>::max())
        .bind(7, filter.before_id);
    std::vector<OrderRecord> out;
    while (q.step()) out.push_back(read_order(q));
    return out;
  });
}

Result<OrderRecord> SqliteStore::find_order_by_vendor_id(const std::string& tenant,
                                                         const std::string& provider,
                                                         const std::string& vendor_order_id) {
  const Error missing{Error::Code::not_found, "no order of " + tenant + "/" + provider +
                                                  " has vendor id '" + vendor_order_id + "'"};
  if (vendor_order_id.empty()) return missing;
  return read<OrderRecord>([&](SqliteDb& db) -> Result<OrderRecord> {
    auto q = db.prepare(std::string("SELECT ") + kOrderColumns +
                        " FROM orders WHERE tenant = $1 AND provider = $2 AND"
                        " vendor_order_id = $3 ORDER BY created_at DESC LIMIT 1");
    q.bind(1, tenant).bind(2, provider).bind(3, vendor_order_id);
    if (!q.step()) return missing;
    return read_order(q);
  });
}

Result<std::vector<TimelineEntry>> SqliteStore::timeline(const std::string& order_id) {
  return read<std::vector<TimelineEntry>>([&](SqliteDb& db) -> Result<std::vector<TimelineEntry>> {
    auto q = db.prepare(
        "SELECT at, source, event, detail FROM timeline "
        "WHERE order_seq = (SELECT seq FROM orders WHERE id = $1) ORDER BY id");
    q.bind(1, order_id);
    std::vector<TimelineEntry> out;
    while (q.step()) out.push_back({from_ms(q.int64(0)), q.text(1), q.text(2), q.text(3)});
    return out;
  });
}

Result<JobRecord> SqliteStore::get_job(std::int64_t id) {
  return read<JobRecord>([&](SqliteDb& db) -> Result<JobRecord> {
    auto q = db.prepare(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = $1");
    q.bind(1, id);
    if (!q.step())
      return Error{Error::Code::not_found, "job " + std::to_string(id) + " does not exist"};
    return read_job(q);
  });
}

Result<std::vector<JobRecord>> SqliteStore::list_jobs(const JobFilter& filter) {
  return read<std::vector<JobRecord>>([&](SqliteDb& db) -> Result<std::vector<JobRecord>> {
    auto q = db.prepare(std::string("SELECT ") + kJobColumns +
                        " FROM jobs WHERE ($1 = 0 OR state = 'dead') AND ($2 = '' OR tenant = $2)"
                        " AND ($3 = '' OR order_id = $3) AND ($5 = 0 OR state <> 'done')"
                        " ORDER BY id" +
                        (filter.newest_first ? " DESC" : "") + " LIMIT $4");
    q.bind(1, filter.dead_only ? 1 : 0).bind(2, filter.tenant).bind(3, filter.order_id);
    q.bind(4, filter.limit).bind(5, filter.open_only ? 1 : 0);
    std::vector<JobRecord> out;
    while (q.step()) out.push_back(read_job(q));
    return out;
  });
}

Result<std::optional<TimePoint>> SqliteStore::next_due_at() {
  return read<std::optional<TimePoint>>([&](SqliteDb& db) -> Result<std::optional<TimePoint>> {
    auto q = db.prepare("SELECT MIN(run_at) FROM jobs WHERE state = 'queued'");
    if (!q.step() || q.is_null(0)) return std::optional<TimePoint>();
    return std::optional<TimePoint>(from_ms(q.int64(0)));
  });
}

void SqliteStore::set_jobs_listener(std::function<void(const JobsDue&)> listener) {
  std::lock_guard lock(listener_mutex_);
  jobs_listener_ = std::move(listener);
}

StoreStats SqliteStore::stats() const {
  StoreStats s;
  s.transactions = transactions_.load();
  s.writes = writes_.load();
  s.failed_transactions = failed_transactions_.load();
  s.rerun_batches = rerun_batches_.load();
  std::lock_guard lock(queue_mutex_);
  s.pending_writes = queue_.size();
  return s;
}

// purge_expired (sqlite_retention.cc) writes through the same group commit.
template Result<Purged> SqliteStore::write(std::function<Result<Purged>(SqliteDb&)> body);
// count_job_deaths (sqlite_job_deaths.cc) too.
template Result<int> SqliteStore::write(std::function<Result<int>(SqliteDb&)> body);

}  // namespace ttb::store
