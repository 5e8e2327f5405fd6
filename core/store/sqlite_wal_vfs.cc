#include "store/sqlite_wal_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <new>
#include <vector>

namespace ttb::store {
namespace {

constexpr int kFrameHeaderBytes = 24;  // SQLite's WAL file format: a frame's header
constexpr std::size_t kMaxGathered = 4u << 20;
// The default (unix) VFS writes at most 128 KiB - 1 per call of its xWrite (it masks the length
// with 0x1ffff, so a write of exactly 128 KiB would come back as "disk full"): the gathered bytes
// go in pieces of 31 pages of 4 KiB.
constexpr std::size_t kMaxWrite = std::size_t{31} * 4096;

std::atomic<std::uint64_t> writes_made{0};
std::atomic<std::uint64_t> writes_gathered{0};
std::atomic<std::uint64_t> late_writes{0};

sqlite3_vfs* real_vfs = nullptr;

// Our part of every file this VFS opens; the default VFS's own file object follows it in the
// same allocation (szOsFile), at `real`.
struct File {
  sqlite3_file base;  // first: SQLite sees a File as its sqlite3_file
  sqlite3_file* real;
  bool is_wal;
  File* wal;       // a main database file: its connection's WAL file, once opened
  File* database;  // a WAL file: its connection's main database file
  std::vector<char> gathered;
  sqlite3_int64 gathered_at;  // the file offset of gathered[0]
  bool commit_header_seen;    // the last write was a commit frame's header: its page is next

  int flush() {
    int rc = SQLITE_OK;
    for (std::size_t done = 0; done < gathered.size() && rc == SQLITE_OK; done += kMaxWrite) {
      const std::size_t n = std::min(kMaxWrite, gathered.size() - done);
      rc = real->pMethods->xWrite(real, gathered.data() + done, static_cast<int>(n),
                                  gathered_at + static_cast<sqlite3_int64>(done));
      ++writes_made;
    }
    gathered.clear();
    return rc;
  }
};

File* as_file(sqlite3_file* f) {
  return reinterpret_cast<File*>(f);
}

std::uint32_t big_endian_32(const void* p) {
  const auto* b = static_cast<const unsigned char*>(p);
  return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) |
         std::uint32_t{b[3]};
}

int write_wal(File* f, const void* data, int amount, sqlite3_int64 offset) {
  if (!f->gathered.empty() &&
      offset != f->gathered_at + static_cast<sqlite3_int64>(f->gathered.size())) {
    if (const int rc = f->flush(); rc != SQLITE_OK) return rc;
  }
  if (f->gathered.empty()) f->gathered_at = offset;
  const auto* bytes = static_cast<const char*>(data);
  f->gathered.insert(f->gathered.end(), bytes, bytes + amount);
  ++writes_gathered;
  // A frame header's second word is the database's size after the commit, in commit frames
  // only: the page that follows it ends the commit.
  const bool ends_commit = f->commit_header_seen;
  f->commit_header_seen =
      amount == kFrameHeaderBytes && big_endian_32(static_cast<const char*>(data) + 4) != 0;
  if (ends_commit || f->gathered.size() >= kMaxGathered) return f->flush();
  return SQLITE_OK;
}

// --- the methods: each passes through to the default VFS's file, a WAL's after its flush -------

// A WAL's gathered bytes go to the file before any other operation on it, so that none runs
// around them.
int flush_first(File* f) {
  return f->is_wal ? f->flush() : SQLITE_OK;
}

int x_close(sqlite3_file* file) {
  File* f = as_file(file);
  int rc = flush_first(f);
  if (f->is_wal && f->database != nullptr) f->database->wal = nullptr;
  if (!f->is_wal && f->wal != nullptr) f->wal->database = nullptr;
  const int closed = f->real->pMethods->xClose(f->real);
  if (rc == SQLITE_OK) rc = closed;
  f->~File();
  return rc;
}

int x_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  File* f = as_file(file);
  if (const int rc = flush_first(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xRead(f->real, out, amount, offset);
}

int x_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  File* f = as_file(file);
  if (f->is_wal) return write_wal(f, data, amount, offset);
  return f->real->pMethods->xWrite(f->real, data, amount, offset);
}

int x_truncate(sqlite3_file* file, sqlite3_int64 size) {
  File* f = as_file(file);
  if (const int rc = flush_first(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xTruncate(f->real, size);
}

int x_sync(sqlite3_file* file, int flags) {
  File* f = as_file(file);
  if (const int rc = flush_first(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xSync(f->real, flags);
}

int x_file_size(sqlite3_file* file, sqlite3_int64* size) {
  File* f = as_file(file);
  if (const int rc = flush_first(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xFileSize(f->real, size);
}

int x_lock(sqlite3_file* file, int level) {
  File* f = as_file(file);
  return f->real->pMethods->xLock(f->real, level);
}

int x_unlock(sqlite3_file* file, int level) {
  File* f = as_file(file);
  return f->real->pMethods->xUnlock(f->real, level);
}

int x_check_reserved_lock(sqlite3_file* file, int* out) {
  File* f = as_file(file);
  return f->real->pMethods->xCheckReservedLock(f->real, out);
}

int x_file_control(sqlite3_file* file, int op, void* arg) {
  File* f = as_file(file);
  if (const int rc = flush_first(f); rc != SQLITE_OK) return rc;
  return f->real->pMethods->xFileControl(f->real, op, arg);
}

int x_sector_size(sqlite3_file* file) {
  File* f = as_file(file);
  return f->real->pMethods->xSectorSize(f->real);
}

int x_device_characteristics(sqlite3_file* file) {
  File* f = as_file(file);
  return f->real->pMethods->xDeviceCharacteristics(f->real);
}

// The methods of version 2 and 3 may be absent from a file of the default VFS (a locking style
// without shared memory): such a file answers as SQLite would without them.
int x_shm_map(sqlite3_file* file, int page, int page_size, int extend, void volatile** out) {
  File* f = as_file(file);
  if (f->real->pMethods->iVersion < 2 || f->real->pMethods->xShmMap == nullptr) {
    return SQLITE_IOERR_SHMMAP;
  }
  return f->real->pMethods->xShmMap(f->real, page, page_size, extend, out);
}

int x_shm_lock(sqlite3_file* file, int offset, int n, int flags) {
  File* f = as_file(file);
  if (f->real->pMethods->iVersion < 2 || f->real->pMethods->xShmLock == nullptr) {
    return SQLITE_IOERR_SHMLOCK;
  }
  return f->real->pMethods->xShmLock(f->real, offset, n, flags);
}

void x_shm_barrier(sqlite3_file* file) {
  File* f = as_file(file);
  // SQLite's barrier before it publishes a commit's frames: they were written when the commit
  // frame's page came (write_wal). Bytes still gathered here are written now; a process that
  // cannot write them stops, since its commit would otherwise count as done without them.
  if (f->wal != nullptr && !f->wal->gathered.empty()) {
    ++late_writes;
    if (f->wal->flush() != SQLITE_OK) std::abort();
  }
  if (f->real->pMethods->iVersion >= 2 && f->real->pMethods->xShmBarrier != nullptr) {
    f->real->pMethods->xShmBarrier(f->real);
  }
}

int x_shm_unmap(sqlite3_file* file, int delete_flag) {
  File* f = as_file(file);
  if (f->real->pMethods->iVersion < 2 || f->real->pMethods->xShmUnmap == nullptr) return SQLITE_OK;
  return f->real->pMethods->xShmUnmap(f->real, delete_flag);
}

int x_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  File* f = as_file(file);
  if (const int rc = flush_first(f); rc != SQLITE_OK) return rc;
  if (f->real->pMethods->iVersion < 3 || f->real->pMethods->xFetch == nullptr) {
    *out = nullptr;  // no mapping: SQLite reads instead
    return SQLITE_OK;
  }
  return f->real->pMethods->xFetch(f->real, offset, amount, out);
}

int x_unfetch(sqlite3_file* file, sqlite3_int64 offset, void* p) {
  File* f = as_file(file);
  if (f->real->pMethods->iVersion < 3 || f->real->pMethods->xUnfetch == nullptr) return SQLITE_OK;
  return f->real->pMethods->xUnfetch(f->real, offset, p);
}

const sqlite3_io_methods io_methods = {
    3,
    x_close,
    x_read,
    x_write,
    x_truncate,
    x_sync,
    x_file_size,
    x_lock,
    x_unlock,
    x_check_reserved_lock,
    x_file_control,
    x_sector_size,
    x_device_characteristics,
    x_shm_map,
    x_shm_lock,
    x_shm_barrier,
    x_shm_unmap,
    x_fetch,
    x_unfetch,
};

constexpr int real_offset() {
  return static_cast<int>((sizeof(File) + 15) & ~std::size_t{15});
}

int x_open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  (void)vfs;
  auto* real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + real_offset());
  const int rc = real_vfs->xOpen(real_vfs, name, real, flags, out_flags);
  if (rc != SQLITE_OK || real->pMethods == nullptr) {
    // SQLite calls xClose only on a file whose pMethods is set.
    if (real->pMethods != nullptr) real->pMethods->xClose(real);
    file->pMethods = nullptr;
    return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
  }
  File* f = new (file) File{};
  f->real = real;
  f->is_wal = (flags & SQLITE_OPEN_WAL) != 0;
  f->base.pMethods = &io_methods;
  if (f->is_wal && name != nullptr) {
    // The connection's main database file, opened through this VFS before its WAL.
    sqlite3_file* database = sqlite3_database_file_object(name);
    if (database != nullptr && database->pMethods == &io_methods) {
      f->database = as_file(database);
      f->database->wal = f;
    }
  }
  return SQLITE_OK;
}

sqlite3_vfs vfs_struct;

}  // namespace

const char* wal_gathering_vfs() {
  static std::once_flag once;
  std::call_once(once, [] {
    real_vfs = sqlite3_vfs_find(nullptr);
    if (real_vfs == nullptr) std::abort();
    vfs_struct = *real_vfs;
    vfs_struct.zName = "ttb-wal-gathering";
    vfs_struct.szOsFile = real_offset() + real_vfs->szOsFile;
    vfs_struct.xOpen = x_open;
    vfs_struct.pNext = nullptr;
    if (sqlite3_vfs_register(&vfs_struct, 0) != SQLITE_OK) std::abort();
  });
  return vfs_struct.zName;
}

WalGatheringStats wal_gathering_stats() {
  return WalGatheringStats{writes_made.load(), writes_gathered.load(), late_writes.load()};
}

}  // namespace ttb::store
