// The PostgreSQL store's writer connections and its group commit. A batchable write queues up;
// when a writer connection is idle, the oldest waiting write takes it and leads: it runs its own
// body and those of the writes queued behind it (up to kPgMaxBatch) in one transaction, commits,
// and answers them all. No thread of its own, so a write on an idle store runs at once on the
// caller's thread; under load each COMMIT (a round trip and a WAL flush) serves many writes.
//
// A write whose first statement is known before it runs (write_pipelined: a webhook's order, a
// job's move) hands that statement over: the batch's BEGIN and all those openings go out in one
// round trip (libpq's pipeline mode), so a batch of webhooks takes two round trips, not one per
// webhook plus two. On a loaded machine a round trip costs far more than its statement: both
// processes wake and sleep once per round trip. Neighbouring openings of one kind that can be
// merged (PgStatement::for_rows: a webhook's) go out as one statement over all their rows.
//
// A webhook's accept waits for nothing (write_async): it queues its write and returns, and the
// batch it joins is led by a caller that waits for its own write, or, when the queue starts with
// a write nobody waits for, by one of a few leading threads (one per writer connection at most).
// Each async write is answered on the thread that led its batch, right after the COMMIT.
//
// A batch is all or nothing: when one of its writes fails (a constraint, a deadlock, a conflict
// its body answers), the batch is rolled back and each write runs again alone, in its own
// transaction, as write() runs it; so one write's failure is never another's. Savepoints would
// spare the others a second run, but cost two more round trips per write on the path that
// succeeds, and PostgreSQL slows down past 64 subtransactions in one transaction.
#include <algorithm>
#include <bit>

#include "ops/log.h"
#include "ops/thread_name.h"
#include "store/pg_store.h"

namespace ttb::store {
namespace {

// Writes per transaction at most: past this the batch's row locks are held long enough to make
// other daemons' writes wait.
constexpr int kPgMaxBatch = 64;

// Every write runs at most this many times alone (serialization failures, another daemon's insert).
constexpr int kWriteAttempts = 3;

// Named, not left to the server: a claim's second look (no other job of the order running, after
// it locks the order's row) needs each statement's own snapshot. Under a database's or role's
// default_transaction_isolation of repeatable read, the claim would judge on the snapshot of its
// first statement, and two jobs of one order could run at once.
constexpr const char* kBeginReadCommitted = "BEGIN ISOLATION LEVEL READ COMMITTED";

const Error kClosed{Error::Code::closed, "the store is closed"};

}  // namespace

PgConnection* PgStore::take_writer_locked() {
  PgConnection* writer = idle_writers_.back();
  idle_writers_.pop_back();
  return writer;
}

void PgStore::give_back_locked(PgConnection* writer) {
  idle_writers_.push_back(writer);
  pool_cv_.notify_all();  // unbatched writes waiting for a connection
  hand_off_locked();
}

void PgStore::hand_off_locked() {
  if (queue_.empty() || idle_writers_.empty()) return;
  if (queue_.front()->answer) {
    leaders_cv_.notify_one();
  } else {
    queue_.front()->cv.notify_one();
  }
}

bool PgStore::async_write_ready_locked() const {
  return !queue_.empty() && !idle_writers_.empty() && queue_.front()->answer;
}

void PgStore::notify_jobs_listener(const JobsDue& due) {
  // Under the lock so that set_jobs_listener(nullptr) returns only once no call into the old
  // listener is in progress (its owner may be going away).
  std::lock_guard guard(listener_mutex_);
  if (jobs_listener_) jobs_listener_(due);
}

void PgStore::run_write(PgPendingWrite& pending, bool batchable) {
  std::unique_lock lock(pool_mutex_);
  if (closing_) {
    pending.fail(kClosed);
    return;
  }
  ++admitted_writes_;
  ++writes_;
  const int max_batch = std::min(options_.max_batch, kPgMaxBatch);
  if (!batchable || max_batch <= 1) {
    ++waiting_writes_;
    pool_cv_.wait(lock, [this] { return !idle_writers_.empty(); });
    --waiting_writes_;
    PgConnection* writer = take_writer_locked();
    lock.unlock();
    run_alone(*writer, pending);
    lock.lock();
    give_back_locked(writer);
  } else {
    queue_.push_back(&pending);
    while (!pending.done) {
      if (pending.taken || idle_writers_.empty()) {
        pending.cv.wait(lock);
        continue;
      }
      // Lead: this write and the oldest ones queued behind or before it.
      lead_batch_locked(lock, &pending);
    }
  }
  --admitted_writes_;
  pool_cv_.notify_all();  // close() waits for the admitted writes
  lock.unlock();
  // On the caller's own thread, as the listener was always called.
  if (pending.due.any()) notify_jobs_listener(pending.due);
}

void PgStore::lead_batch_locked(std::unique_lock<std::mutex>& lock, PgPendingWrite* first) {
  const int max_batch = std::max(1, std::min(options_.max_batch, kPgMaxBatch));
  std::vector<PgPendingWrite*> batch{first};
  queue_.erase(std::find(queue_.begin(), queue_.end(), first));
  while (!queue_.empty() && static_cast<int>(batch.size()) < max_batch) {
    batch.push_back(queue_.front());
    queue_.pop_front();
  }
  for (auto* write : batch) write->taken = true;
  PgConnection* writer = take_writer_locked();
  hand_off_locked();  // more queued and another idle connection: the next leader starts too
  lock.unlock();
  run_batch(*writer, batch);
  lock.lock();
  std::vector<PgPendingWrite*> unwaited;
  for (auto* write : batch) {
    write->done = true;
    if (write->answer) {
      unwaited.push_back(write);
    } else {
      // Notified under the lock: the waiter cannot return and destroy its write before.
      write->cv.notify_one();
    }
  }
  give_back_locked(writer);
  if (unwaited.empty()) return;
  lock.unlock();
  {
    // Each answer logs a line (an order received, say): the batch's lines go out in one write.
    const ops::LogBatch log_batch;
    for (auto* write : unwaited) {
      const std::unique_ptr<PgPendingWrite> owned(write);
      if (write->due.any()) notify_jobs_listener(write->due);
      write->answer();
    }
  }
  lock.lock();
  admitted_writes_ -= static_cast<int>(unwaited.size());
  pool_cv_.notify_all();  // close() waits for the admitted writes
}

void PgStore::run_write_async(std::unique_ptr<PgPendingWrite> pending) {
  std::unique_lock lock(pool_mutex_);
  if (closing_) {
    lock.unlock();
    pending->fail(kClosed);
    pending->answer();
    return;
  }
  ++admitted_writes_;
  ++writes_;
  if (leaders_.empty()) {
    for (int i = 0; i < kPgWriterConnections; ++i)
      leaders_.emplace_back([this] {
        ops::name_this_thread("ttb-pg-writer");
        lead_async_writes();
      });
  }
  queue_.push_back(pending.release());
  hand_off_locked();
}

void PgStore::lead_async_writes() {
  std::unique_lock lock(pool_mutex_);
  for (;;) {
    leaders_cv_.wait(lock, [this] { return leaders_stop_ || async_write_ready_locked(); });
    if (leaders_stop_) return;  // close() stops them only once every admitted write is answered
    lead_batch_locked(lock, queue_.front());
  }
}

PgStore::Opened PgStore::begin(PgConnection& db, const std::vector<PgPendingWrite*>& writes) {
  // Each statement to send after BEGIN: the first write whose opening it carries, and how many
  // writes' openings it carries in all (more than one: neighbours merged, PgStatement::for_rows).
  struct Carrier {
    size_t first;
    int rows;
  };
  std::vector<Carrier> carriers;
  for (size_t i = 0; i < writes.size(); ++i) {
    const PgStatement* opening = writes[i]->opening;
    if (!opening) continue;
    if (!carriers.empty() && opening->for_rows) {
      const Carrier& last = carriers.back();
      if (last.first + last.rows == i &&
          writes[last.first]->opening->for_rows == opening->for_rows) {
        ++carriers.back().rows;
        continue;
      }
    }
    carriers.push_back({i, 1});
  }
  Opened opened;
  opened.of_write.resize(writes.size());
  if (carriers.empty()) {
    db.exec(kBeginReadCommitted);
    return opened;
  }
  std::vector<PgStatement> merged;  // the merged statements, built before any pointer is taken
  for (const Carrier& carrier : carriers) {
    if (carrier.rows == 1) continue;
    // Padded with rows of NULLs up to a power of two (a run of 13 goes out as 16 rows). A
    // connection prepares each text it runs and the server keeps each one's plan, a few hundred
    // KB for the larger ones: so each connection keeps seven such plans, not one for every size
    // up to 64.
    const PgStatement& first = *writes[carrier.first]->opening;
    const int padded = static_cast<int>(std::bit_ceil(static_cast<unsigned>(carrier.rows)));
    PgStatement statement{first.for_rows(padded), {}};
    for (int row = 0; row < carrier.rows; ++row) {
      statement.params.append(writes[carrier.first + row]->opening->params);
    }
    for (int row = carrier.rows; row < padded; ++row) {
      for (int i = 0; i < first.params.size(); ++i)
        statement.params.add(std::optional<std::string>{});
    }
    merged.push_back(std::move(statement));
  }
  static const PgStatement kBegin{kBeginReadCommitted, {}};
  std::vector<const PgStatement*> pipeline{&kBegin};
  auto next_merged = merged.begin();
  for (const Carrier& carrier : carriers) {
    pipeline.push_back(carrier.rows == 1 ? writes[carrier.first]->opening : &*next_merged++);
  }
  auto results = db.exec_pipeline(pipeline);
  opened.results.assign(std::make_move_iterator(results.begin() + 1),  // after BEGIN's
                        std::make_move_iterator(results.end()));
  for (size_t c = 0; c < carriers.size(); ++c) {
    for (int row = 0; row < carriers[c].rows; ++row) {
      opened.of_write[carriers[c].first + row].emplace(PgOpened{opened.results[c], row});
    }
  }
  return opened;
}

void PgStore::run_alone(PgConnection& db, PgPendingWrite& pending) {
  for (int attempt = 1;; ++attempt) {
    bool began = false;
    try {
      if (!db.ensure_connected()) {
        ++failed_transactions_;
        pending.fail({Error::Code::unavailable,
                      "store write failed: the connection to PostgreSQL is lost and could not be "
                      "made again: " +
                          db.error_message()});
        return;
      }
      auto opened = begin(db, {&pending});
      began = true;
      if (!pending.attempt(db, opened.of_write[0] ? &*opened.of_write[0] : nullptr)) {
        db.exec("ROLLBACK");
        pending.due = {};
        return;
      }
      if (options_.before_commit) {
        if (auto refused = options_.before_commit()) {
          db.exec("ROLLBACK");
          ++failed_transactions_;
          pending.due = {};
          pending.fail({Error::Code::unavailable, "store commit failed: " + *refused});
          return;
        }
      }
      db.exec("COMMIT");
      ++transactions_;
      return;
    } catch (const PgError& e) {
      pending.due = {};
      if (db.in_transaction()) {
        try {
          db.exec("ROLLBACK");
        } catch (const PgError&) {
          // The connection is gone: the server rolled the transaction back itself.
        }
      }
      // A connection found dead at BEGIN (the server restarted while it idled) applied nothing:
      // the next attempt connects again. One lost later may have committed: unavailable.
      const bool lost_idle = !began && e.connection_lost();
      if ((lost_idle || e.is_retryable() || e.is_unique_violation()) && attempt < kWriteAttempts) {
        continue;
      }
      ++failed_transactions_;
      pending.fail(error_of(e, "store write failed: "));
      return;
    }
  }
}

void PgStore::run_batch(PgConnection& db, const std::vector<PgPendingWrite*>& batch) {
  if (batch.size() == 1) {
    run_alone(db, *batch.front());
    return;
  }
  bool committing = false;
  try {
    if (!db.ensure_connected()) {
      // Each write alone would find the same: answer them all at once.
      ++failed_transactions_;
      const Error lost{Error::Code::unavailable,
                       "store write failed: the connection to PostgreSQL is lost and could not "
                       "be made again: " +
                           db.error_message()};
      for (auto* write : batch) write->fail(lost);
      return;
    }
    auto opened = begin(db, batch);
    bool all_ok = true;
    for (size_t i = 0; i < batch.size(); ++i) {
      if (!batch[i]->attempt(db, opened.of_write[i] ? &*opened.of_write[i] : nullptr)) {
        all_ok = false;
        break;
      }
    }
    if (all_ok) {
      if (options_.before_commit) {
        if (auto refused = options_.before_commit()) {
          db.exec("ROLLBACK");
          ++failed_transactions_;
          const Error failed{Error::Code::unavailable, "store commit failed: " + *refused};
          for (auto* write : batch) {
            write->due = {};
            write->fail(failed);
          }
          return;
        }
      }
      committing = true;
      db.exec("COMMIT");
      ++transactions_;
      return;
    }
    db.exec("ROLLBACK");
  } catch (const PgError& e) {
    if (db.in_transaction()) {
      try {
        db.exec("ROLLBACK");
      } catch (const PgError&) {
        // The connection is gone: the server rolled the transaction back itself.
      }
    }
    // A connection lost during COMMIT may have committed the batch: running it again could apply
    // it twice, so every write is answered unavailable (as one lost write alone is).
    if (committing && e.connection_lost()) {
      ++failed_transactions_;
      const Error failed = error_of(e, "store write failed: ");
      for (auto* write : batch) {
        write->due = {};
        write->fail(failed);
      }
      return;
    }
  }
  // Nothing of the batch was committed: each write runs again alone and gets its own answer.
  ++rerun_batches_;
  for (auto* write : batch) {
    write->due = {};
    run_alone(db, *write);
  }
}

}  // namespace ttb::store
