#include "store/sqlite_wal_sync.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "ops/thread_name.h"

namespace ttb::store {
namespace {

std::string errno_text(const std::string& what) {
  std::string text = what;
  text += ": ";
  text += std::strerror(errno);
  return text;
}

// The directory entry of a file is made durable by syncing the directory, not the file.
void sync_directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error(errno_text("cannot open the directory '" + dir + "'"));
  const int rc = ::fsync(fd);
  const std::string error = rc == 0 ? "" : errno_text("cannot sync the directory '" + dir + "'");
  ::close(fd);
  if (rc != 0) throw std::runtime_error(error);
}

}  // namespace

WalSyncer::WalSyncer(const std::string& wal_path, BeforeSync before_sync)
    : before_sync_(std::move(before_sync)) {
  // Read-write: some systems refuse fsync on a descriptor opened read-only. Never O_CREAT: the
  // file must be the one SQLite writes.
  wal_fd_ = ::open(wal_path.c_str(), O_RDWR | O_CLOEXEC);
  if (wal_fd_ < 0) throw std::runtime_error(errno_text("cannot open the WAL '" + wal_path + "'"));
  try {
    sync_directory_of(wal_path);
  } catch (...) {
    ::close(wal_fd_);
    throw;
  }
  thread_ = std::thread([this] {
    ops::name_this_thread("ttb-wal-sync");
    loop();
  });
}

WalSyncer::~WalSyncer() {
  stop();
  ::close(wal_fd_);
}

void WalSyncer::after_sync(Answer answer) {
  {
    std::lock_guard lock(mutex_);
    waiting_.push_back(std::move(answer));
  }
  cv_.notify_one();
}

std::optional<std::string> WalSyncer::failure() const {
  std::lock_guard lock(mutex_);
  return failure_;
}

void WalSyncer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void WalSyncer::loop() {
  std::vector<Answer> batch;
  for (;;) {
    std::optional<std::string> failed;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
      if (waiting_.empty()) return;  // stopping and everything answered
      // Taken before the sync starts: the sync covers exactly these, whose frames were written
      // before they were handed over.
      batch.swap(waiting_);
      failed = failure_;
    }
    if (!failed && before_sync_) failed = before_sync_();
    if (!failed && ::fdatasync(wal_fd_) != 0) failed = errno_text("fdatasync of the WAL failed");
    {
      std::lock_guard lock(mutex_);
      // After one failure the kernel may already have dropped the pages it could not write, so a
      // later sync that succeeds proves nothing: every later batch fails too.
      if (failed && !failure_) failure_ = failed;
    }
    for (auto& answer : batch) answer(failed ? &*failed : nullptr);
    batch.clear();
  }
}

}  // namespace ttb::store
