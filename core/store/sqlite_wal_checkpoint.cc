#include "store/sqlite_wal_checkpoint.h"

#include <utility>

#include "ops/thread_name.h"

namespace ttb::store {

WalCheckpointer::WalCheckpointer(std::unique_ptr<SqliteDb> db, int start_frames,
                                 int catch_up_frames)
    : db_(std::move(db)), start_frames_(start_frames), catch_up_frames_(catch_up_frames) {
  thread_ = std::thread([this] {
    ops::name_this_thread("ttb-checkpoint");
    loop();
  });
}

WalCheckpointer::~WalCheckpointer() {
  stop();
}

void WalCheckpointer::attach(sqlite3* writer) {
  writer_ = writer;
  sqlite3_wal_hook(writer, &WalCheckpointer::on_commit, this);
}

void WalCheckpointer::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
  if (writer_ != nullptr) sqlite3_wal_hook(writer_, nullptr, nullptr);
}

WalCheckpointer::Stats WalCheckpointer::stats() const {
  return Stats{background_.load(), by_writer_.load(), busy_.load(), failed_.load()};
}

int WalCheckpointer::on_commit(void* self, sqlite3* db, const char* schema, int frames) {
  auto* checkpointer = static_cast<WalCheckpointer*>(self);
  if (frames >= checkpointer->catch_up_frames_) {
    // SQLite's own hook checkpoints here too: the commit is done, and the connection is free.
    checkpointer->count(
        sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr),
        checkpointer->by_writer_);
  } else if (frames >= checkpointer->start_frames_) {
    {
      std::lock_guard lock(checkpointer->mutex_);
      checkpointer->requested_ = true;
    }
    checkpointer->cv_.notify_one();
  }
  return SQLITE_OK;
}

void WalCheckpointer::count(int rc, std::atomic<std::uint64_t>& done) {
  if (rc == SQLITE_OK) {
    ++done;
  } else if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    ++busy_;
  } else {
    ++failed_;
  }
}

void WalCheckpointer::loop() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [this] { return requested_ || stopping_; });
      if (stopping_) return;
      requested_ = false;
    }
    count(sqlite3_wal_checkpoint_v2(db_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                    nullptr),
          background_);
  }
}

}  // namespace ttb::store
