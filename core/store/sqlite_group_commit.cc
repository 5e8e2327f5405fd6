// The SQLite store's writer thread: pipelined group commit. The writer runs queued writes into
// one open transaction (straight in, or each in its own savepoint once one of them failed: see
// run_bare) and commits that transaction as soon as the syncer is free; the COMMIT only appends to
// the WAL (synchronous=NORMAL). The syncer (WalSyncer) fdatasyncs the WAL and then answers the
// batch's callers. While it syncs, the writer already runs the next writes into the next
// transaction, which it commits when that sync is done, so one transaction (and one WAL append) per
// sync, and the SQL is off the sync's path. Crash safety: docs/reliability.md, "Pipelined commits
// and durability".
#include <memory>
#include <utility>

#include "ops/log.h"
#include "store/sqlite_store.h"

namespace ttb::store {

void SqliteStore::writer_loop() {
  OpenBatch batch;
  for (;;) {
    std::vector<WriteOp> taken;
    {
      std::unique_lock lock(queue_mutex_);
      const auto has_room = [&] { return static_cast<int>(batch.ops.size()) < options_.max_batch; };
      queue_cv_.wait(lock, [&] {
        return closing_ || (!queue_.empty() && has_room()) ||
               (!batch.ops.empty() && !sync_in_flight_);
      });
      if (closing_ && queue_.empty() && batch.ops.empty()) return;  // drained
      while (!queue_.empty() &&
             static_cast<int>(batch.ops.size() + taken.size()) < options_.max_batch) {
        taken.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    if (!taken.empty()) run_writes(batch, taken);
    bool commit = false;
    {
      std::lock_guard lock(queue_mutex_);
      // Committing while a sync is in flight would only make a smaller transaction that waits for
      // the next sync anyway; a full batch or a closing store does not wait for more writes.
      commit = !batch.ops.empty() &&
               (!sync_in_flight_ || static_cast<int>(batch.ops.size()) >= options_.max_batch ||
                (closing_ && queue_.empty()));
    }
    if (commit) commit_batch(batch);
  }
}

void SqliteStore::run_writes(OpenBatch& batch, std::vector<WriteOp>& writes) {
  SqliteDb& db = *writer_db_;
  if (!batch.in_transaction && !batch.failed) {
    if (auto failed = syncer_->failure()) {
      // Once a sync failed, what is on disk is unknown: acknowledge nothing more (the daemon must
      // be restarted, and SQLite's recovery then reads what the WAL really holds).
      batch.failed = "an earlier sync of the WAL failed (" + *failed + "); restart the daemon";
    } else {
      try {
        db.prepare("BEGIN IMMEDIATE").run();
        batch.in_transaction = true;
        batch.due_at_begin = due_;
      } catch (const SqlError& e) {
        batch.failed = e.what();
      }
    }
  }
  for (auto& write : writes) {
    std::optional<Error> error;
    if (!batch.failed) {
      error = batch.in_savepoints ? run_in_savepoint(batch, write) : run_bare(batch, write);
    }
    batch.ops.push_back(std::move(write));
    batch.errors.push_back(std::move(error));
  }
}

std::optional<Error> SqliteStore::run_bare(OpenBatch& batch, WriteOp& write) {
  // Straight into the transaction: nearly every write succeeds, and a savepoint per write made
  // SQLite copy every page each write touched into its statement journal, some 15 % of the
  // writer's time at ingest (docs/performance.md, "A savepoint per write"). A write that throws or
  // answers with its own Error may have written part of itself, so the transaction is rolled back
  // and the batch runs again with a savepoint per write, that write included, as run_in_savepoint
  // runs it: one failing write is still undone alone.
  try {
    if (write.run(*writer_db_)) return std::nullopt;
  } catch (const std::exception&) {
    // Its error is what its run in a savepoint, below, makes of it.
  }
  rerun_in_savepoints(batch);
  if (batch.failed) return std::nullopt;
  return run_in_savepoint(batch, write);
}

void SqliteStore::rerun_in_savepoints(OpenBatch& batch) {
  SqliteDb& db = *writer_db_;
  batch.in_savepoints = true;
  ++rerun_batches_;
  due_ = batch.due_at_begin;  // the writes count their jobs again as they run again
  try {
    // SQLite may have rolled the transaction back itself (it does on some I/O errors).
    if (sqlite3_get_autocommit(db.handle()) == 0) db.prepare("ROLLBACK").run();
    db.prepare("BEGIN IMMEDIATE").run();
  } catch (const SqlError& e) {
    batch.failed = e.what();
    return;
  }
  // Each answer is what its run here produced: the run before left nothing behind.
  for (std::size_t i = 0; i < batch.ops.size() && !batch.failed; ++i) {
    batch.errors[i] = run_in_savepoint(batch, batch.ops[i]);
  }
}

std::optional<Error> SqliteStore::run_in_savepoint(OpenBatch& batch, WriteOp& write) {
  // One failing write is undone alone; the others still commit. A write that answers with its
  // own Error is undone too: an error applied nothing.
  SqliteDb& db = *writer_db_;
  const JobsDue due_before = due_;
  std::optional<Error> error;
  bool undo = false;
  try {
    db.prepare("SAVEPOINT w").run();
    undo = !write.run(db);
  } catch (const std::exception& e) {
    const auto* sql = dynamic_cast<const SqlError*>(&e);
    error = sql ? error_of(*sql, "") : Error{Error::Code::unavailable, e.what()};
    undo = true;
  }
  if (!undo) {
    try {
      db.prepare("RELEASE w").run();
    } catch (const SqlError& e) {
      error = error_of(e, "");
      undo = true;
    }
  }
  if (undo) {
    due_ = due_before;
    try {
      db.prepare("ROLLBACK TO w").run();
      db.prepare("RELEASE w").run();
    } catch (const SqlError& inner) {
      batch.failed = inner.what();  // the transaction is in an unknown state: it all fails
    }
  }
  return error;
}

void SqliteStore::commit_batch(OpenBatch& batch) {
  SqliteDb& db = *writer_db_;
  std::optional<std::string> failed = std::move(batch.failed);
  if (!failed && options_.before_commit) failed = options_.before_commit();
  if (!failed) {
    try {
      db.prepare("COMMIT").run();
    } catch (const SqlError& e) {
      failed = e.what();
    }
  }
  if (failed && sqlite3_get_autocommit(db.handle()) == 0) {
    try {
      db.prepare("ROLLBACK").run();
    } catch (const SqlError&) {
      // The connection already rolled back (SQLite does that on some I/O errors).
    }
  }
  std::vector<WriteOp> ops = std::move(batch.ops);
  std::vector<std::optional<Error>> errors = std::move(batch.errors);
  const JobsDue due = due_;
  batch = OpenBatch{};
  due_ = {};
  writes_ += ops.size();
  if (failed) {
    ++failed_transactions_;
    // Nothing of the batch applied: no sync to wait for.
    const Error error{Error::Code::unavailable, "store commit failed: " + *failed};
    const ops::LogBatch log_batch;
    for (auto& op : ops) op.finished(&error);
    return;
  }
  ++transactions_;
  if (due.any()) {
    // Before the sync, so that the runner's claim can join the next batch. The claim is a write
    // too: it is answered only after a sync that covers this commit as well.
    // Called under the lock so that set_jobs_listener(nullptr) returns only once no call into
    // the old listener is in progress (its owner may be going away).
    std::lock_guard lock(listener_mutex_);
    if (jobs_listener_) jobs_listener_(due);
  }
  answer_after_sync(std::move(ops), std::move(errors));
}

void SqliteStore::answer_after_sync(std::vector<WriteOp> ops,
                                    std::vector<std::optional<Error>> errors) {
  struct Committed {
    std::vector<WriteOp> ops;
    std::vector<std::optional<Error>> errors;
  };
  auto committed = std::make_shared<Committed>(Committed{std::move(ops), std::move(errors)});
  {
    std::lock_guard lock(queue_mutex_);
    sync_in_flight_ = true;
  }
  syncer_->after_sync([this, committed](const std::string* sync_error) {
    {
      // First, so that the writer commits its next batch while these callers are woken.
      std::lock_guard lock(queue_mutex_);
      sync_in_flight_ = false;
    }
    queue_cv_.notify_one();
    // Each answer logs a line (an order received, say): the batch's lines go out in one write.
    const ops::LogBatch log_batch;
    for (size_t i = 0; i < committed->ops.size(); ++i) {
      if (sync_error) {
        const Error failed{Error::Code::unavailable, "store sync failed: " + *sync_error};
        committed->ops[i].finished(&failed);
      } else {
        const auto& error = committed->errors[i];
        committed->ops[i].finished(error ? &*error : nullptr);
      }
    }
  });
}

}  // namespace ttb::store
