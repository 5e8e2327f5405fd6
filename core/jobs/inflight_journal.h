#pragma once
// The daemon's journal of plugin calls in flight, for plugins that run inside the daemon
// (isolation: inproc): a line "+ID" when a job's call starts and "-ID" when it ends, and
// "+cDIGEST" / "-cDIGEST" (16 hex digits) around a vendor callback's call, appended with one
// write() each and no fsync (a killed process keeps its page-cache writes). A start without its
// end, found at the next start, is a call the daemon died in (call_deaths.h). Every kCompactAfter
// bytes the file is rewritten with only the starts still open: each vendor callback adds lines,
// and anyone may post a callback, so the file must not grow with the daemon's uptime.

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace ttb::jobs {

class InflightJournal {
 public:
  // Opens the journal at `path` (created with mode 0600); nullptr and `error` when it cannot.
  static std::unique_ptr<InflightJournal> open(const std::filesystem::path& path,
                                               std::string& error);
  ~InflightJournal();
  InflightJournal(const InflightJournal&) = delete;
  InflightJournal& operator=(const InflightJournal&) = delete;

  // The file is rewritten once this many bytes were appended to it.
  static constexpr std::size_t kCompactAfter = std::size_t{1} << 20;

  // Thread-safe, one syscall each (and a rewrite every kCompactAfter bytes). A failed write is
  // ignored: the journal is a safety net, and a call it missed only goes uncounted.
  void started(std::int64_t job_id) const;
  void ended(std::int64_t job_id) const;
  void callback_started(std::uint64_t digest) const;
  void callback_ended(std::uint64_t digest) const;

  // The jobs whose call started and never ended, by the file as it is now: an id once per
  // unmatched start, in the order the file first names them. Unreadable or torn lines are
  // skipped.
  std::vector<std::int64_t> unfinished() const;
  // The callbacks whose call started and never ended: how often, by digest.
  std::map<std::uint64_t, int> unfinished_callbacks() const;
  // Empties the journal (its unfinished calls are counted, or the daemon stops in order).
  // Returns what failed, "" when done.
  std::string reset() const;
  // Appends `count` starts of `digest` with no end: a reset journal keeps the callbacks' deaths
  // this way, since a callback, unlike a job, has no row to count them in.
  void remember_callback_deaths(std::uint64_t digest, int count) const;

  const std::filesystem::path& path() const { return path_; }

 private:
  InflightJournal(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}
  void append(char mark, std::int64_t job_id) const;
  void append_callback(char mark, std::uint64_t digest) const;
  // Writes "<mark><call>\n" and keeps the count of open starts; `call` is "123" or "c<digest>".
  void write_line(char mark, std::string_view call) const;
  // Rewrites the file with the open starts only (under mutex_); on failure the old file stays.
  void compact() const;

  int fd_;
  std::filesystem::path path_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, int, std::less<>> open_;  // starts without their end, by call
  mutable std::size_t appended_ = 0;                      // bytes since the last rewrite
};

// Where a daemon keeps its journal: beside the SQLite file (`<file>-inflight`), which one daemon
// owns; with PostgreSQL, `ttbridged-inflight-<hash of store_url>` in the working directory, so
// that daemons of different databases never share one (daemons of one database on one host need
// working directories of their own).
std::filesystem::path default_inflight_journal_path(const std::filesystem::path& sqlite_file,
                                                    std::string_view store_url);

}  // namespace ttb::jobs
