#include "store/pg_store.h"

#include <algorithm>
#include <limits>
#include <map>
#include <utility>

#include <unistd.h>

#include "store/job_transition_sql.h"
#include "store/pg_migrations.h"
#include "store/sqlite_store.h"  // to_ms, from_ms: one time format for both stores

namespace ttb::store {
namespace {

// What the write body running on this thread made claimable, which its commit tells the jobs
// listener (run_typed reads it right after the body).
thread_local JobsDue t_due;

// "HOST:PID": the default owner of this process's leases, which names the daemon to an operator
// as its logs and `ps` do.
std::string this_process_name() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host[0] ? host : "localhost") + ":" + std::to_string(::getpid());
}

const char* const kOrderColumns =
    "id, event_id, tenant, provider, test_id, company_uuid, candidate_json, job_json, "
    "options_json, callback_url, locale, status, failure_reason, vendor_order_id, "
    "vendor_state_json, result_json, result_version, pushed_version, answer_status, answer_body, "
    "created_at, updated_at, version, applied_revision";

OrderRecord read_order(const PgResult& r, int row) {
  OrderRecord o;
  o.id = r.text(row, 0);
  o.event_id = r.text(row, 1);
  o.tenant = r.text(row, 2);
  o.provider = r.text(row, 3);
  o.test_id = r.text(row, 4);
  o.company_uuid = r.text(row, 5);
  o.candidate_json = r.text(row, 6);
  o.job_json = r.text(row, 7);
  o.options_json = r.text(row, 8);
  o.callback_url = r.text(row, 9);
  o.locale = r.text(row, 10);
  o.status = r.text(row, 11);
  o.failure_reason = r.text(row, 12);
  o.vendor_order_id = r.text(row, 13);
  o.vendor_state_json = r.text(row, 14);
  o.result_json = r.text(row, 15);
  o.result_version = r.int64(row, 16);
  o.pushed_version = r.int64(row, 17);
  o.answer_status = static_cast<int>(r.int64(row, 18));
  o.answer_body = r.text(row, 19);
  o.created_at = from_ms(r.int64(row, 20));
  o.updated_at = from_ms(r.int64(row, 21));
  o.version = r.int64(row, 22);
  if (!r.is_null(row, 23)) o.applied_revision = r.int64(row, 23);
  return o;
}

PgStatement timeline_insert(const std::string& order_id, const TimelineEntry& entry,
                            std::int64_t now) {
  return {"INSERT INTO timeline (order_id, at, source, event, detail) VALUES ($1, $2, $3, $4, $5)",
          PgParams()
              .add(order_id)
              .add(entry.at == TimePoint{} ? now : to_ms(entry.at))
              .add(entry.source)
              .add(entry.event)
              .add(entry.detail)};
}

void insert_timeline(PgConnection& db, const std::string& order_id, const TimelineEntry& entry,
                     std::int64_t now) {
  const PgStatement insert = timeline_insert(order_id, entry, now);
  db.exec(insert.sql, insert.params);
}

// Each order a change set changes, once, in the order of its changes.
std::vector<std::string> distinct_orders(const ChangeSet& changes) {
  std::vector<std::string> ids;
  for (const auto& change : changes.orders) {
    if (std::find(ids.begin(), ids.end(), change.order_id) == ids.end()) {
      ids.push_back(change.order_id);
    }
  }
  return ids;
}

// The update that stores `order` as a change left it (what a change may move, and its version).
PgStatement order_update(const OrderRecord& order, std::int64_t now) {
  return {
      "UPDATE orders SET status = $2, failure_reason = $3, vendor_order_id = $4, "
      "vendor_state_json = $5, result_json = $6, result_version = $7, "
      "pushed_version = $8, updated_at = $9, version = $10, applied_revision = $11 "
      "WHERE id = $1",
      PgParams()
          .add(order.id)
          .add(order.status)
          .add(order.failure_reason)
          .add(order.vendor_order_id)
          .add(order.vendor_state_json)
          .add(order.result_json)
          .add(order.result_version)
          .add(order.pushed_version)
          .add(now)
          .add(order.version)
          .add(order.applied_revision)};
}

// Runs `statements` in the current transaction as one pipeline (one round trip), or not at all
// when there are none; their results in the same order.
std::vector<PgResult> exec_all(PgConnection& db, const std::vector<PgStatement>& statements) {
  if (statements.empty()) return {};
  std::vector<const PgStatement*> pipeline;
  pipeline.reserve(statements.size());
  for (const auto& statement : statements) pipeline.push_back(&statement);
  return db.exec_pipeline(pipeline);
}

bool event_accepted(PgConnection& db, const std::string& event_id) {
  return !db.exec("SELECT 1 FROM webhook_events WHERE event_id = $1", PgParams().add(event_id))
              .empty();
}

// As in SqliteStore: first when no sighting has the event id, which an accepted one never has.
SightingOutcome judge_sighting(PgConnection& db, const WebhookSighting& sighting) {
  auto seen = db.exec("SELECT body_digest FROM webhook_sightings WHERE event_id = $1",
                      PgParams().add(sighting.event_id));
  if (seen.empty()) return SightingOutcome::first;
  if (seen.text(0, 0) == sighting.body_digest) return SightingOutcome::same_body;
  return event_accepted(db, sighting.event_id) ? SightingOutcome::accepted
                                               : SightingOutcome::other_body;
}

// A refused webhook's sighting, as in SqliteStore. The insert, not a read before it, decides
// which of two daemons recording one new event id was first.
SightingOutcome record_sighting(PgConnection& db, const WebhookSighting& sighting,
                                std::int64_t now) {
  if (event_accepted(db, sighting.event_id)) return SightingOutcome::accepted;
  auto ins = db.exec(
      "INSERT INTO webhook_sightings (event_id, body_digest, received_at) VALUES ($1, $2, $3) "
      "ON CONFLICT DO NOTHING",
      PgParams().add(sighting.event_id).add(sighting.body_digest).add(now));
  if (ins.affected() > 0) return SightingOutcome::first;
  return judge_sighting(db, sighting);
}

// The four columns of queued_of_order_columns (job_transition_sql.h), from `first` on.
JobsDue queued_of_order(const PgResult& row, int first) {
  JobsDue due;
  due.pushes.now = static_cast<int>(row.int64(0, first));
  due.vendor_work.now = static_cast<int>(row.int64(0, first + 1));
  if (!row.is_null(0, first + 2)) due.pushes.next = from_ms(row.int64(0, first + 2));
  if (!row.is_null(0, first + 3)) due.vendor_work.next = from_ms(row.int64(0, first + 3));
  return due;
}

std::string or_empty_object(const std::string& json) {
  return json.empty() ? std::string("{}") : json;
}

// Appended to a transition's UPDATE (job_transition_sql.h): the moved job's kind and run_at and
// what of its order waits in the queue, so that the move's commit can tell the jobs listener
// without a round trip of its own. The subqueries see the rows as they were before the UPDATE:
// the moved job is still running there, and counts apart when the move queues it again.
const std::string& transition_returning() {
  static const std::string text =
      " RETURNING kind, run_at, " + queued_of_order_columns("jobs", "order_id");
  return text;
}

}  // namespace

const char* const kPgJobColumns =
    "id, order_id, tenant, provider, kind, state, attempts, max_attempts, run_at, last_error, "
    "payload_json, created_at, updated_at, waiting_for_provider, deaths, lease_owner, "
    "lease_expires_at, claims";

JobRecord read_pg_job(const PgResult& r, int row) {
  JobRecord j;
  j.id = r.int64(row, 0);
  j.order_id = r.text(row, 1);
  j.tenant = r.text(row, 2);
  j.provider = r.text(row, 3);
  j.kind = parse_job_kind(r.text(row, 4)).value_or(JobKind::invite);
  j.state = parse_job_state(r.text(row, 5)).value_or(JobState::dead);
  j.attempts = static_cast<int>(r.int64(row, 6));
  j.max_attempts = static_cast<int>(r.int64(row, 7));
  j.run_at = from_ms(r.int64(row, 8));
  j.last_error = r.text(row, 9);
  j.payload_json = r.text(row, 10);
  j.created_at = from_ms(r.int64(row, 11));
  j.updated_at = from_ms(r.int64(row, 12));
  j.waiting_for_provider = r.int64(row, 13) != 0;
  j.deaths = static_cast<int>(r.int64(row, 14));
  if (!r.is_null(row, 15)) j.lease_owner = r.text(row, 15);
  if (!r.is_null(row, 16)) j.lease_expires_at = from_ms(r.int64(row, 16));
  j.claims = static_cast<int>(r.int64(row, 17));
  return j;
}

Error error_of(const PgError& e, const std::string& context) {
  const bool invalid = e.is_constraint() && !e.connection_lost();
  return {invalid ? Error::Code::invalid : Error::Code::unavailable, context + e.what()};
}

std::unique_ptr<PgStore> PgStore::open(const std::string& url, StoreOptions options,
                                       std::string& error) {
  if (!options.clock) options.clock = [] { return std::chrono::system_clock::now(); };
  if (options.lease_owner.empty()) options.lease_owner = this_process_name();
  try {
    std::vector<std::unique_ptr<PgConnection>> writers;
    writers.push_back(std::make_unique<PgConnection>(url));
    apply_pg_migrations(*writers.front(), to_ms(options.clock()));
    check_clock(*writers.front(), options);
    // No recovery of running jobs here, unlike SQLite: other daemons may be running them. A job
    // whose daemon died is claimable again once its lease expires (claim_due_jobs).
    while (writers.size() < static_cast<size_t>(kPgWriterConnections)) {
      writers.push_back(std::make_unique<PgConnection>(url));
    }
    for (auto& writer : writers) writer->prepare_statements();
    // Reads prepare too: unprepared, the server planned every order read, due-time lookup and
    // sighting anew, about a tenth of its time per invitation (docs/performance.md,
    // "PostgreSQL: the claim").
    auto readers = std::make_unique<ReaderPool<PgConnection>>(
        [url] {
          auto reader = std::make_unique<PgConnection>(url);
          reader->prepare_statements();
          return reader;
        },
        kPgReaderConnections);
    auto store = std::unique_ptr<PgStore>(
        new PgStore(std::move(writers), std::move(readers), std::move(options)));
    store->first_statistics_ = std::make_unique<PgFirstStatistics>(url);
    return store;
  } catch (const PgError& e) {
    error = e.what();
    return nullptr;
  }
}

PgStore::PgStore(std::vector<std::unique_ptr<PgConnection>> writers,
                 std::unique_ptr<ReaderPool<PgConnection>> readers, StoreOptions options)
    : options_(std::move(options)), writers_(std::move(writers)), readers_(std::move(readers)) {
  for (auto& writer : writers_) idle_writers_.push_back(writer.get());
}

PgStore::~PgStore() {
  close();
}

void PgStore::close() {
  // Finishes the writes accepted before it, like SQLite's writer draining its queue; the
  // leading threads lead the async ones among them.
  std::unique_lock lock(pool_mutex_);
  closing_ = true;
  pool_cv_.wait(lock, [this] { return admitted_writes_ == 0; });
  closed_ = true;
  leaders_stop_ = true;
  leaders_cv_.notify_all();
  std::vector<std::thread> leaders = std::move(leaders_);
  lock.unlock();
  for (auto& leader : leaders) leader.join();
  first_statistics_.reset();
}

std::int64_t PgStore::now_ms() const {
  return to_ms(options_.clock());
}

template <class T>
Result<T> PgStore::write(const std::function<Result<T>(PgConnection&)>& body) {
  return run_typed<T>(
      nullptr, [&body](PgConnection& db, const PgOpened*) { return body(db); },
      /*batchable=*/false);
}

template <class T>
Result<T> PgStore::write_batched(const std::function<Result<T>(PgConnection&)>& body) {
  return run_typed<T>(
      nullptr, [&body](PgConnection& db, const PgOpened*) { return body(db); },
      /*batchable=*/true);
}

template <class T>
Result<T> PgStore::write_pipelined(
    const PgStatement& opening,
    const std::function<Result<T>(PgConnection&, const PgOpened& opened)>& rest) {
  return run_typed<T>(
      &opening, [&rest](PgConnection& db, const PgOpened* opened) { return rest(db, *opened); },
      /*batchable=*/true);
}

template <class T>
Result<T> PgStore::run_typed(const PgStatement* opening,
                             const std::function<Result<T>(PgConnection&, const PgOpened*)>& body,
                             bool batchable) {
  std::optional<Result<T>> value;
  PgPendingWrite pending;
  pending.opening = opening;
  pending.attempt = [&body, &value, &pending](PgConnection& db, const PgOpened* opened) {
    // The body runs on one thread from start to end (this caller's or a batch leader's).
    t_due = {};
    // Assigned from a named result, not emplaced from the call: GCC 12 at -O3 flags the
    // temporary's vector as freed without being allocated (a false -Wfree-nonheap-object).
    Result<T> produced = body(db, opened);
    const bool ok = produced.ok();
    value = std::move(produced);
    pending.due = t_due;
    return ok;
  };
  pending.fail = [&value](const Error& error) { value.emplace(error); };
  run_write(pending, batchable);
  if (!value) return Error{Error::Code::unavailable, "the write produced no result"};
  return std::move(*value);
}

template <class T>
void PgStore::write_async(std::optional<PgStatement> opening,
                          std::function<Result<T>(PgConnection&, const PgOpened* opened)> body,
                          std::function<void(Result<T>)> done) {
  // Owns what its run needs: the caller has returned by then.
  struct Write final : PgPendingWrite {
    std::optional<PgStatement> opening_statement;
    std::function<Result<T>(PgConnection&, const PgOpened*)> body;
    std::function<void(Result<T>)> done;
    std::optional<Result<T>> value;
  };
  auto write = std::make_unique<Write>();
  Write* w = write.get();
  if (opening) w->opening_statement.emplace(std::move(*opening));
  w->opening = w->opening_statement ? &*w->opening_statement : nullptr;
  w->body = std::move(body);
  w->done = std::move(done);
  w->attempt = [w](PgConnection& db, const PgOpened* opened) {
    t_due = {};
    Result<T> produced = w->body(db, opened);
    const bool ok = produced.ok();
    w->value = std::move(produced);
    w->due = t_due;
    return ok;
  };
  w->fail = [w](const Error& error) { w->value.emplace(error); };
  w->answer = [w] {
    if (!w->value)
      w->value.emplace(Error{Error::Code::unavailable, "the write produced no result"});
    w->done(std::move(*w->value));
  };
  run_write_async(std::move(write));
}

template <class T>
Result<T> PgStore::read(const std::function<Result<T>(PgConnection&)>& body) {
  if (closed_) return Error{Error::Code::closed, "the store is closed"};
  try {
    const auto lease = readers_->acquire();  // a new connection may fail to open: PgError
    PgConnection& reader = lease.connection();
    // A read changes nothing: one found the connection dead (the server restarted while it
    // idled) runs once more on a new one.
    for (int attempt = 1;; ++attempt) {
      try {
        if (!reader.ensure_connected()) {
          return Error{Error::Code::unavailable,
                       "store read failed: the connection to PostgreSQL is lost and could not be "
                       "made again: " +
                           reader.error_message()};
        }
        return body(reader);
      } catch (const PgError& e) {
        if (e.connection_lost() && attempt < 2) continue;
        return error_of(e, "store read failed: ");
      }
    }
  } catch (const PgError& e) {
    return error_of(e, "store read failed: ");
  }
}

PgStatement PgStore::job_insert(const NewJob& job, std::int64_t now) {
  // Selected from its order, which guards what a foreign key would (migration 14 dropped them
  // on PostgreSQL): no job names an order that does not exist. Orders are never deleted, so the
  // guard needs no lock on the order's row.
  return {
      "INSERT INTO jobs (order_id, tenant, provider, kind, state, attempts, max_attempts, "
      "run_at, last_error, payload_json, created_at, updated_at) "
      "SELECT id, $2, $3, $4, 'queued', 0, $5::integer, $6::bigint, '', $7, $8::bigint, "
      "$8::bigint FROM orders WHERE id = $1 RETURNING id",
      PgParams()
          .add(job.order_id)
          .add(job.tenant)
          .add(job.provider)
          .add(to_string(job.kind))
          .add(job.max_attempts)
          .add(job.run_at ? to_ms(*job.run_at) : now)
          .add(or_empty_object(job.payload_json))
          .add(now)};
}

std::int64_t PgStore::inserted_job(const NewJob& job, const PgResult& inserted, std::int64_t now) {
  if (inserted.empty()) {
    // As the foreign key's violation read: the write is invalid, and its transaction rolls back.
    throw PgError("a job of order " + job.order_id + ", which does not exist", "23503", false);
  }
  t_due.of(job.kind).add(job.run_at ? *job.run_at : from_ms(now), from_ms(now));
  return inserted.int64(0, 0);
}

std::int64_t PgStore::insert_job(PgConnection& db, const NewJob& job, std::int64_t now) {
  const PgStatement insert = job_insert(job, now);
  return inserted_job(job, db.exec(insert.sql, insert.params), now);
}

namespace {

// The usual webhook, never seen before (an event id and a body digest): stored by one statement,
// sent ahead with its batch (fresh_order_statement).
bool has_fresh_statement(const NewOrder& order) {
  return !order.sighting_digest.empty() && !order.event_id.empty();
}

}  // namespace

Result<Accepted> PgStore::accept_order(const NewOrder& order) {
  const std::int64_t now = now_ms();
  if (!has_fresh_statement(order)) {
    return write_batched<Accepted>([this, &order, now](PgConnection& db) -> Result<Accepted> {
      return accept_in(db, order, now, nullptr);
    });
  }
  const PgStatement fresh = fresh_order_statement(order, now);
  return write_pipelined<Accepted>(
      fresh, [this, &order, now](PgConnection& db, const PgOpened& opened) -> Result<Accepted> {
        return accept_in(db, order, now, &opened);
      });
}

void PgStore::accept_order_async(NewOrder order, AcceptDone done) {
  const std::int64_t now = now_ms();
  std::optional<PgStatement> fresh;
  if (has_fresh_statement(order)) fresh = fresh_order_statement(order, now);
  auto owned = std::make_shared<const NewOrder>(std::move(order));
  write_async<Accepted>(
      std::move(fresh),
      [this, owned, now](PgConnection& db, const PgOpened* opened) {
        return accept_in(db, *owned, now, opened);
      },
      std::move(done));
}

Result<Accepted> PgStore::accept_in(PgConnection& db, const NewOrder& order, std::int64_t now,
                                    const PgOpened* opened) {
  if (!opened || !fresh_order_stored(opened->result, opened->row)) {
    return accept_step_by_step(db, order, now);
  }
  ++t_due.vendor_work.now;  // the statement queued the order's invite, due now
  return Accepted::created_from(order);
}

Result<Accepted> PgStore::accept_step_by_step(PgConnection& db, const NewOrder& order,
                                              std::int64_t now) {
  Accepted result;
  // The webhook's sighting first: a replayed signature writes nothing at all. It is recorded
  // only when no order takes its event id, as in SqliteStore::accept_in.
  const bool sighted = !order.sighting_digest.empty() && !order.event_id.empty();
  if (sighted &&
      judge_sighting(db, {order.event_id, order.sighting_digest}) == SightingOutcome::other_body) {
    result.outcome = Accepted::Outcome::replay;
    return result;
  }
  // A known order answers its first answer, but only to its own tenant (see SqliteStore).
  auto known = [&](const std::string& order_id) {
    auto q = db.exec("SELECT tenant, answer_status, answer_body FROM orders WHERE id = $1",
                     PgParams().add(order_id));
    if (q.empty()) return false;
    if (q.text(0, 0) != order.tenant) {
      result.outcome = Accepted::Outcome::other_tenant;
      return true;
    }
    result.outcome = Accepted::Outcome::duplicate;
    result.order_id = order_id;
    result.answer_status = static_cast<int>(q.int64(0, 1));
    result.answer_body = q.text(0, 2);
    return true;
  };
  if (!order.event_id.empty()) {
    auto q = db.exec("SELECT order_id FROM webhook_events WHERE event_id = $1",
                     PgParams().add(order.event_id));
    if (!q.empty() && known(q.text(0, 0))) return result;
  }
  if (known(order.id)) {
    if (result.outcome == Accepted::Outcome::other_tenant && sighted) {
      record_sighting(db, {order.event_id, order.sighting_digest}, now);
    }
    if (result.outcome == Accepted::Outcome::duplicate && !order.event_id.empty()) {
      db.exec(
          "INSERT INTO webhook_events (event_id, order_id, received_at) VALUES ($1, $2, $3) "
          "ON CONFLICT DO NOTHING",
          PgParams().add(order.event_id).add(order.id).add(now));
    }
    return result;
  }
  // Another daemon inserting the same order meanwhile makes this insert a unique violation:
  // write() runs this body again, and it then finds that order (duplicate).
  db.exec(std::string("INSERT INTO orders (") + kOrderColumns +
              ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'received', '', '', "
              "'{}', '{}', 0, 0, $12, $13, $14, $14, 1, NULL)",
          PgParams()
              .add(order.id)
              .add(order.event_id)
              .add(order.tenant)
              .add(order.provider)
              .add(order.test_id)
              .add(order.company_uuid)
              .add(or_empty_object(order.candidate_json))
              .add(or_empty_object(order.job_json))
              .add(or_empty_object(order.options_json))
              .add(order.callback_url)
              .add(order.locale)
              .add(order.answer_status)
              .add(order.answer_body)
              .add(now));
  if (!order.event_id.empty()) {
    db.exec("INSERT INTO webhook_events (event_id, order_id, received_at) VALUES ($1, $2, $3)",
            PgParams().add(order.event_id).add(order.id).add(now));
  }
  insert_job(db, invite_job_for(order), now);
  insert_timeline(db, order.id, {TimePoint{}, "teamtailor", "received", order.timeline_detail},
                  now);
  return Accepted::created_from(order);
}

const std::string& pg_finishing_read_sql() {
  static const std::string sql = "SELECT j.state, j.claims, " +
                                 queued_of_order_columns("j", "order_id") +
                                 " FROM jobs j WHERE j.id = $1 FOR UPDATE";
  return sql;
}

Result<Committed> PgStore::commit(const ChangeSet& changes) {
  const std::function<Result<Committed>(PgConnection&)> body =
      [this, &changes](PgConnection& db) -> Result<Committed> {
    Committed result;
    const std::int64_t now = now_ms();
    // Checks first, writes after, as in SqliteStore::commit, in two round trips: every read the
    // checks need, then every write, each sent as one pipeline. Sent a statement at a time, a
    // job's completion took a dozen round trips, and on a loaded machine each costs about a
    // millisecond (docs/performance.md, "PostgreSQL: a job's commit in fewer round trips").
    //
    // The reads lock what they read: each order row, so that another daemon's commit of the same
    // order waits and then sees the new version, and the finished job's row, so that no claim
    // takes it over in between. The callback's event id goes along: when a check fails, the
    // write returns an Error and its transaction rolls back, that insert included.
    const std::vector<std::string> order_ids = distinct_orders(changes);
    std::vector<PgStatement> reads;
    reads.reserve(order_ids.size() + 2);
    for (const auto& id : order_ids) {
      reads.push_back(
          {std::string("SELECT ") + kOrderColumns + " FROM orders WHERE id = $1 FOR NO KEY UPDATE",
           PgParams().add(id)});
    }
    if (changes.finish_job) {
      reads.push_back({pg_finishing_read_sql(), PgParams().add(changes.finish_job->id).add(now)});
    }
    if (changes.callback_event) {
      const auto& key = *changes.callback_event;
      reads.push_back(
          {"INSERT INTO callback_events (tenant, provider, event_id, received_at) "
           "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
           PgParams().add(key.tenant).add(key.provider).add(key.event_id).add(now)});
    }
    const std::vector<PgResult> read = exec_all(db, reads);

    std::map<std::string, OrderRecord> tracked;
    for (size_t i = 0; i < order_ids.size(); ++i) {
      if (read[i].empty()) {
        return Error{Error::Code::conflict, "order " + order_ids[i] + " does not exist"};
      }
      tracked.emplace(order_ids[i], read_order(read[i], 0));
    }
    std::vector<OrderRecord> after;
    for (const auto& change : changes.orders) {
      OrderRecord& current = tracked.at(change.order_id);
      if (current.version != change.expected_version) {
        return Error{Error::Code::conflict, "order " + change.order_id + " changed meanwhile"};
      }
      apply_change(current, change);
      after.push_back(current);
    }
    JobsDue unblocked;  // by the finish: its order's jobs waiting in the queue
    if (changes.finish_job) {
      const PgResult& job = read[order_ids.size()];
      if (job.empty()) {
        return Error{Error::Code::conflict,
                     "job " + std::to_string(changes.finish_job->id) + " does not exist"};
      }
      if (auto refused = finish_refusal(*changes.finish_job, job.text(0, 0),
                                        static_cast<int>(job.int64(0, 1)))) {
        return *refused;
      }
      // Read before this set enqueues its own jobs, which count as they are inserted.
      unblocked = queued_of_order(job, 2);
    }
    if (changes.callback_event && read.back().affected() == 0) {
      result.duplicate = true;
      return result;
    }

    std::vector<PgStatement> writes;
    std::vector<std::pair<size_t, NewJob>> inserted;  // each job insert: its index in `writes`
    for (size_t i = 0; i < changes.orders.size(); ++i) {
      const auto& change = changes.orders[i];
      const OrderRecord& order = after[i];
      writes.push_back(order_update(order, now));
      for (const auto& entry : change.timeline) {
        writes.push_back(timeline_insert(change.order_id, entry, now));
      }
      if (change.result_changed) {
        NewJob push;
        push.order_id = change.order_id;
        push.tenant = order.tenant;
        push.provider = order.provider;
        push.kind = JobKind::push;
        push.payload_json = "{\"version\":" + std::to_string(order.result_version) + "}";
        writes.push_back(job_insert(push, now));
        inserted.emplace_back(writes.size() - 1, std::move(push));
      }
    }
    for (const auto& job : changes.new_jobs) {
      writes.push_back(job_insert(job, now));
      inserted.emplace_back(writes.size() - 1, job);
    }
    // The riding claim's candidates go last, after the finish: they see the order free again and
    // the jobs this set enqueued.
    const bool claims = changes.finish_job && changes.then_claim && changes.then_claim->limit > 0;
    if (changes.finish_job) {
      if (changes.finish_as_dead) {
        writes.push_back(
            {"UPDATE jobs SET state = 'dead', updated_at = $2, last_error = $3 WHERE id = $1",
             PgParams().add(changes.finish_job->id).add(now).add(*changes.finish_as_dead)});
      } else {
        writes.push_back({"UPDATE jobs SET state = 'done', updated_at = $2 WHERE id = $1",
                          PgParams().add(changes.finish_job->id).add(now)});
      }
      if (claims) {
        for (auto& statement : claim_candidates(*changes.then_claim)) {
          writes.push_back(std::move(statement));
        }
      }
    }
    const std::vector<PgResult> written = exec_all(db, writes);
    for (const auto& [index, job] : inserted) {
      result.job_ids.push_back(inserted_job(job, written[index], now));
    }
    if (changes.finish_job) t_due += unblocked;
    if (claims) {
      const size_t expired = written.size() - 2;
      result.claimed =
          claim_from(db, *changes.then_claim, now, written[expired], written[expired + 1]);
    }
    return result;
  };
  // A riding claim calls the runner's admit and locks its candidates: a transaction of its own,
  // as claim_due_jobs has, rather than one shared with other writes.
  if (changes.finish_job && changes.then_claim) return write<Committed>(body);
  return write_batched<Committed>(body);
}

Result<SightingOutcome> PgStore::record_webhook_sighting(const WebhookSighting& sighting) {
  return write_batched<SightingOutcome>(
      [this, &sighting](PgConnection& db) -> Result<SightingOutcome> {
        return record_sighting(db, sighting, now_ms());
      });
}

void PgStore::record_webhook_sighting_async(WebhookSighting sighting, SightingDone done) {
  write_async<SightingOutcome>(
      std::nullopt,
      [this, sighting = std::move(sighting)](PgConnection& db, const PgOpened*)
          -> Result<SightingOutcome> { return record_sighting(db, sighting, now_ms()); },
      std::move(done));
}

Result<bool> PgStore::record_callback_event(const CallbackEventKey& key) {
  PgStatement insert{
      "INSERT INTO callback_events (tenant, provider, event_id, received_at) "
      "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
      {}};
  insert.params.add(key.tenant).add(key.provider).add(key.event_id).add(now_ms());
  return write_pipelined<bool>(insert, [](PgConnection&, const PgOpened& inserted) -> Result<bool> {
    return inserted.result.affected() > 0;
  });
}

Result<std::int64_t> PgStore::enqueue_job(const NewJob& job) {
  return write_batched<std::int64_t>([this, &job](PgConnection& db) -> Result<std::int64_t> {
    return insert_job(db, job, now_ms());
  });
}

Result<void> PgStore::transition_job(const JobMove& move) {
  const TransitionSql transition = transition_sql(move.transition);
  PgStatement update{transition.sql + transition_returning(), {}};
  const std::int64_t now = now_ms();
  update.params.add(move.job_id).add(now).add(move.claim);
  if (transition.takes_run_at) update.params.add(to_ms(move.run_at));
  if (transition.takes_note) update.params.add(move.note);
  return write_pipelined<void>(
      update, [&move, now](PgConnection& db, const PgOpened& opened) -> Result<void> {
        const PgResult& moved = opened.result;  // not mergeable: the whole result is its own
        if (moved.affected() == 0) {
          auto q =
              db.exec("SELECT state, claims FROM jobs WHERE id = $1", PgParams().add(move.job_id));
          if (q.empty()) {
            return Error{Error::Code::not_found,
                         "job " + std::to_string(move.job_id) + " does not exist"};
          }
          return refusal(move, q.text(0, 0), static_cast<int>(q.int64(0, 1)));
        }
        t_due += queued_of_order(moved, 2);
        if (state_after(move.transition) == JobState::queued) {
          if (auto kind = parse_job_kind(moved.text(0, 0))) {
            t_due.of(*kind).add(from_ms(moved.int64(0, 1)), from_ms(now));
          }
        }
        return {};
      });
}

Result<int> PgStore::requeue_dead(std::int64_t id) {
  return write_batched<int>([this, id](PgConnection& db) -> Result<int> {
    const int n =
        db.exec(
              "UPDATE jobs SET state = 'queued', attempts = 0, deaths = 0, run_at = $2, "
              "waiting_for_provider = 0, updated_at = $2 WHERE id = $1 AND state = 'dead'",
              PgParams().add(id).add(now_ms()))
            .affected();
    if (n > 0) t_due += JobsDue::unknown(n);
    return n;
  });
}

Result<int> PgStore::requeue_all_dead(const std::string& tenant) {
  return write_batched<int>([this, &tenant](PgConnection& db) -> Result<int> {
    const int n = db.exec(
                        "UPDATE jobs SET state = 'queued', attempts = 0, deaths = 0, run_at = $2, "
                        "waiting_for_provider = 0, updated_at = $2 "
                        "WHERE state = 'dead' AND ($1::text = '' OR tenant = $1::text)",
                        PgParams().add(tenant).add(now_ms()))
                      .affected();
    if (n > 0) t_due += JobsDue::unknown(n);
    return n;
  });
}

Result<int> PgStore::wake_jobs_waiting_for_provider() {
  return write_batched<int>([this](PgConnection& db) -> Result<int> {
    const int n = db.exec(
                        "UPDATE jobs SET run_at = $1 WHERE state = 'queued' "
                        "AND waiting_for_provider = 1 AND run_at > $1",
                        PgParams().add(now_ms()))
                      .affected();
    if (n > 0) t_due += JobsDue::unknown(n);
    return n;
  });
}

Result<OrderRecord> PgStore::get_order(const std::string& id) {
  return read<OrderRecord>([&](PgConnection& db) -> Result<OrderRecord> {
    auto q = db.exec(std::string("SELECT ") + kOrderColumns + " FROM orders WHERE id = $1",
                     PgParams().add(id));
    if (q.empty()) return Error{Error::Code::not_found, "order " + id + " does not exist"};
    return read_order(q, 0);
  });
}

Result<std::vector<OrderRecord>> PgStore::list_orders(const OrderFilter& filter) {
  return read<std::vector<OrderRecord>>([&](PgConnection& db) -> Result<std::vector<OrderRecord>> {
    // One condition per filter field: a new field is one more line and one more parameter. The
    // page cursor compares (created_at, id) with the cursor order's, in the listing's order:
    // newest first, ties by id (as sqlite_store.cc).
    auto q = db.exec(
        std::string("SELECT ") + kOrderColumns +
            " FROM orders WHERE ($1::text = '' OR tenant = $1::text)"
            " AND ($2::text = '' OR status = $2::text)"
            " AND ($4::text = '' OR lower(candidate_json::jsonb ->> 'email') = lower($4::text))"
            " AND created_at >= $5 AND created_at < $6"
            " AND ($7::text = '' OR created_at < (SELECT created_at FROM orders WHERE id = $7)"
            "      OR (created_at = (SELECT created_at FROM orders WHERE id = $7) AND id > $7))"
            " ORDER BY created_at DESC, id LIMIT $3",
        PgParams()
            .add(filter.tenant)
            .add(filter.status)
            .add(filter.limit)
            .add(filter.email)
            .add(filter.created_since ? to_ms(*filter.created_since)
                                      : std::numeric_limits<std::int64_t>::min())
            .add(filter.created_until ? to_ms(*filter.created_until)
                                      : std::numeric_limits<std::int64_t>::max())
            .add(filter.before_id));
    std::vector<OrderRecord> out;
    out.reserve(static_cast<size_t>(q.rows()));
    for (int i = 0; i < q.rows(); ++i) out.push_back(read_order(q, i));
    return out;
  });
}

Result<OrderRecord> PgStore::find_order_by_vendor_id(const std::string& tenant,
                                                     const std::string& provider,
                                                     const std::string& vendor_order_id) {
  const Error missing{Error::Code::not_found, "no order of " + tenant + "/" + provider +
                                                  " has vendor id '" + vendor_order_id + "'"};
  if (vendor_order_id.empty()) return missing;
  return read<OrderRecord>([&](PgConnection& db) -> Result<OrderRecord> {
    auto q = db.exec(std::string("SELECT ") + kOrderColumns +
                         " FROM orders WHERE tenant = $1 AND provider = $2 AND"
                         " vendor_order_id = $3 ORDER BY created_at DESC LIMIT 1",
                     PgParams().add(tenant).add(provider).add(vendor_order_id));
    if (q.empty()) return missing;
    return read_order(q, 0);
  });
}

Result<std::vector<TimelineEntry>> PgStore::timeline(const std::string& order_id) {
  return read<std::vector<TimelineEntry>>(
      [&](PgConnection& db) -> Result<std::vector<TimelineEntry>> {
        auto q = db.exec(
            "SELECT at, source, event, detail FROM timeline WHERE order_id = $1 ORDER BY id",
            PgParams().add(order_id));
        std::vector<TimelineEntry> out;
        out.reserve(static_cast<size_t>(q.rows()));
        for (int i = 0; i < q.rows(); ++i) {
          out.push_back({from_ms(q.int64(i, 0)), q.text(i, 1), q.text(i, 2), q.text(i, 3)});
        }
        return out;
      });
}

Result<JobRecord> PgStore::get_job(std::int64_t id) {
  return read<JobRecord>([&](PgConnection& db) -> Result<JobRecord> {
    auto q = db.exec(std::string("SELECT ") + kPgJobColumns + " FROM jobs WHERE id = $1",
                     PgParams().add(id));
    if (q.empty()) {
      return Error{Error::Code::not_found, "job " + std::to_string(id) + " does not exist"};
    }
    return read_pg_job(q, 0);
  });
}

Result<std::vector<JobRecord>> PgStore::list_jobs(const JobFilter& filter) {
  return read<std::vector<JobRecord>>([&](PgConnection& db) -> Result<std::vector<JobRecord>> {
    auto q = db.exec(std::string("SELECT ") + kPgJobColumns +
                         " FROM jobs WHERE ($1::int = 0 OR state = 'dead')"
                         " AND ($2::text = '' OR tenant = $2::text)"
                         " AND ($3::text = '' OR order_id = $3::text)"
                         " AND ($5::int = 0 OR state <> 'done') ORDER BY id" +
                         (filter.newest_first ? " DESC" : "") + " LIMIT $4",
                     PgParams()
                         .add(filter.dead_only ? 1 : 0)
                         .add(filter.tenant)
                         .add(filter.order_id)
                         .add(filter.limit)
                         .add(filter.open_only ? 1 : 0));
    std::vector<JobRecord> out;
    out.reserve(static_cast<size_t>(q.rows()));
    for (int i = 0; i < q.rows(); ++i) out.push_back(read_pg_job(q, i));
    return out;
  });
}

Result<std::optional<TimePoint>> PgStore::next_due_at() {
  return read<std::optional<TimePoint>>([](PgConnection& db) -> Result<std::optional<TimePoint>> {
    // With (empty) parameters, so that it runs prepared: each job worker asks whenever it finds
    // nothing to claim. One minimum per partial index of queued jobs (migrations 9 and 11), each
    // read from the index's first entry.
    auto q = db.exec(
        "SELECT LEAST((SELECT MIN(run_at) FROM jobs WHERE state = 'queued' AND kind = 'push'), "
        "(SELECT MIN(run_at) FROM jobs WHERE state = 'queued' AND kind <> 'push'))",
        PgParams());
    if (q.empty() || q.is_null(0, 0)) return std::optional<TimePoint>();
    return std::optional<TimePoint>(from_ms(q.int64(0, 0)));
  });
}

void PgStore::set_jobs_listener(std::function<void(const JobsDue&)> listener) {
  std::lock_guard lock(listener_mutex_);
  jobs_listener_ = std::move(listener);
}

StoreStats PgStore::stats() const {
  StoreStats s;
  s.transactions = transactions_.load();
  s.writes = writes_.load();
  s.failed_transactions = failed_transactions_.load();
  s.rerun_batches = rerun_batches_.load();
  std::lock_guard lock(pool_mutex_);
  s.pending_writes = static_cast<std::uint64_t>(waiting_writes_) + queue_.size();
  return s;
}

// The other files of the PostgreSQL store (pg_claim.cc, pg_queue_views.cc, pg_retention.cc) use
// write() and read() with these types.
template Result<std::vector<JobRecord>> PgStore::write(
    const std::function<Result<std::vector<JobRecord>>(PgConnection&)>& body);
template Result<Purged> PgStore::write(const std::function<Result<Purged>(PgConnection&)>& body);
template Result<int> PgStore::write(const std::function<Result<int>(PgConnection&)>& body);
template Result<QueueStats> PgStore::read(
    const std::function<Result<QueueStats>(PgConnection&)>& body);
template Result<std::vector<ProviderQueue>> PgStore::read(
    const std::function<Result<std::vector<ProviderQueue>>(PgConnection&)>& body);
template Result<std::vector<QuietOrder>> PgStore::read(
    const std::function<Result<std::vector<QuietOrder>>(PgConnection&)>& body);
template Result<ActivityCounts> PgStore::read(
    const std::function<Result<ActivityCounts>(PgConnection&)>& body);
template Result<std::map<std::string, std::int64_t>> PgStore::read(
    const std::function<Result<std::map<std::string, std::int64_t>>(PgConnection&)>& body);

}  // namespace ttb::store
