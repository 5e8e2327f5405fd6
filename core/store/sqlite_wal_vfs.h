#pragma once
// The SQLite store's WAL writes, gathered: one write() per commit instead of two per page.
//
// SQLite appends each page of a commit to the WAL as two writes, the frame's 24-byte header and
// then the page. A webhook's commit changes some 6 pages, so a batch of 40 took about 500 write
// system calls on the writer thread, the page's straddling two pages of the OS's cache: in a
// profile of ingest the writer spent 39 % of its time in them, and on the project's machine 480
// such writes took 4.4–4.8 ms where one write of the same bytes took 0.2–0.4 ms
// (docs/performance.md, "The WAL in one write per commit").
//
// This VFS wraps the default one and changes nothing but the writes to a WAL file: they
// accumulate in memory while they are contiguous, and go to the file in one write (pieces of
// 124 KiB, as the default VFS writes less than 128 KiB per call):
//   - as soon as the page of a commit frame (a header that records the database's size) is
//     added: inside SQLite's commit, before it publishes the new frames to readers, so a failed
//     write fails the commit;
//   - before any other operation on the WAL file (a read, a sync, a truncate, a close), so the
//     connection never reads or syncs around its own bytes;
//   - when a write does not continue the gathered bytes, or they reach 4 MiB (a transaction
//     that spills its cache to the WAL before it commits).
// The frame format (a header then a page, the commit frame last) is SQLite's documented WAL file
// format. As a guard, SQLite's barrier before it publishes a commit (xShmBarrier on the database
// file) finds nothing left to write; if it ever did, the bytes are written then, and a process
// that cannot write them stops rather than acknowledge a commit that is not in the file.
//
// Durability is unchanged: a commit's bytes are in the file when its COMMIT returns, and the
// store's syncer (sqlite_wal_sync.h) makes them durable before anyone is answered.

#include <cstdint>

namespace ttb::store {

// Registers the VFS with SQLite (once per process, not as the default) and returns its name, for
// sqlite3_open_v2.
const char* wal_gathering_vfs();

struct WalGatheringStats {
  std::uint64_t writes = 0;       // write() calls made to WAL files
  std::uint64_t gathered = 0;     // writes SQLite asked for that went into them
  std::uint64_t late_writes = 0;  // gathered bytes still unwritten at a barrier (expected 0)
};
// Process-wide counts, for tests.
WalGatheringStats wal_gathering_stats();

}  // namespace ttb::store
