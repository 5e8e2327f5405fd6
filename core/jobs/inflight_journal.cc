#include "jobs/inflight_journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <string_view>
#include <utility>

namespace ttb::jobs {

namespace {

// The call a journal line names ("123", "c0123456789abcdef") and whether it starts it; nullopt
// for a line that is neither.
std::optional<std::pair<bool, std::string_view>> call_of(std::string_view line) {
  if (line.size() < 2 || (line[0] != '+' && line[0] != '-')) return std::nullopt;
  return std::pair{line[0] == '+', line.substr(1)};
}

void count(std::map<std::string, int, std::less<>>& open, bool start, std::string_view call) {
  auto it = open.find(call);
  if (start) {
    if (it == open.end()) it = open.emplace(std::string(call), 0).first;
    ++it->second;
  } else if (it != open.end() && --it->second <= 0) {
    open.erase(it);
  }
}

}  // namespace

std::unique_ptr<InflightJournal> InflightJournal::open(const std::filesystem::path& path,
                                                       std::string& error) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    error = "cannot open the journal of plugin calls in flight " + path.string() + ": " +
            std::strerror(errno) + "; make its directory writable by the daemon's user";
    return nullptr;
  }
  std::unique_ptr<InflightJournal> journal(new InflightJournal(fd, path));
  // What the file holds already (a start that could not count it) survives a rewrite too.
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (in.eof()) break;  // torn last line
    if (const auto call = call_of(line)) count(journal->open_, call->first, call->second);
  }
  return journal;
}

InflightJournal::~InflightJournal() {
  ::close(fd_);
}

void InflightJournal::write_line(char mark, std::string_view call) const {
  char line[32];
  if (call.size() + 2 > sizeof(line)) return;
  line[0] = mark;
  std::memcpy(line + 1, call.data(), call.size());
  line[call.size() + 1] = '\n';
  const std::size_t size = call.size() + 2;
  std::lock_guard lock(mutex_);
  // O_APPEND: one atomic append, and the file's end wherever a rewrite left it.
  const auto written = ::write(fd_, line, size);
  (void)written;
  count(open_, mark == '+', call);
  appended_ += size;
  if (appended_ >= kCompactAfter) compact();
}

void InflightJournal::compact() const {
  appended_ = 0;  // a rewrite that fails is tried again only after as many bytes more
  std::string text;
  for (const auto& [call, starts] : open_) {
    for (int i = 0; i < starts; ++i) text.append("+").append(call).append("\n");
  }
  std::filesystem::path fresh = path_;
  fresh += ".new";
  const int fd = ::open(fresh.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return;
  const bool whole = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!whole || ::rename(fresh.c_str(), path_.c_str()) != 0) {
    ::unlink(fresh.c_str());
    return;
  }
  const int appending = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (appending < 0) return;  // lines go on to the unlinked old file; the next rewrite retries
  ::dup3(appending, fd_, O_CLOEXEC);  // the new file under the old number, still close-on-exec
  ::close(appending);
  appended_ = text.size();
}

void InflightJournal::append(char mark, std::int64_t job_id) const {
  char id[24];
  auto [end, ec] = std::to_chars(id, id + sizeof(id), job_id);
  if (ec != std::errc()) return;
  write_line(mark, std::string_view(id, static_cast<std::size_t>(end - id)));
}

void InflightJournal::append_callback(char mark, std::uint64_t digest) const {
  char call[24];
  const int n =
      std::snprintf(call, sizeof(call), "c%016llx", static_cast<unsigned long long>(digest));
  if (n > 0) write_line(mark, std::string_view(call, static_cast<std::size_t>(n)));
}

void InflightJournal::callback_started(std::uint64_t digest) const {
  append_callback('+', digest);
}

void InflightJournal::callback_ended(std::uint64_t digest) const {
  append_callback('-', digest);
}

void InflightJournal::remember_callback_deaths(std::uint64_t digest, int count) const {
  for (int i = 0; i < count; ++i) append_callback('+', digest);
}

std::map<std::uint64_t, int> InflightJournal::unfinished_callbacks() const {
  std::ifstream in(path_);
  std::map<std::uint64_t, int> open_calls;
  std::string line;
  while (std::getline(in, line)) {
    if (in.eof()) break;  // torn last line: skipped
    if (line.size() != 18 || (line[0] != '+' && line[0] != '-') || line[1] != 'c') continue;
    std::uint64_t digest = 0;
    const char* last = line.data() + line.size();
    auto [end, ec] = std::from_chars(line.data() + 2, last, digest, 16);
    if (ec != std::errc() || end != last) continue;
    open_calls[digest] += line[0] == '+' ? 1 : -1;
  }
  std::map<std::uint64_t, int> out;
  for (const auto& [digest, open] : open_calls) {
    if (open > 0) out.emplace(digest, open);
  }
  return out;
}

void InflightJournal::started(std::int64_t job_id) const {
  append('+', job_id);
}

void InflightJournal::ended(std::int64_t job_id) const {
  append('-', job_id);
}

std::vector<std::int64_t> InflightJournal::unfinished() const {
  std::ifstream in(path_);
  std::map<std::int64_t, int> open_calls;
  std::vector<std::int64_t> first_seen;
  std::string line;
  while (std::getline(in, line)) {
    if (in.eof()) break;  // a last line without its newline is torn (power loss): skipped
    if (line.size() < 2 || (line[0] != '+' && line[0] != '-')) continue;
    std::int64_t id = 0;
    const char* last = line.data() + line.size();
    auto [end, ec] = std::from_chars(line.data() + 1, last, id);
    if (ec != std::errc() || end != last) continue;
    auto [it, inserted] = open_calls.emplace(id, 0);
    if (inserted) first_seen.push_back(id);
    it->second += line[0] == '+' ? 1 : -1;
  }
  std::vector<std::int64_t> out;
  for (const std::int64_t id : first_seen) {
    for (int n = open_calls[id]; n > 0; --n) out.push_back(id);
  }
  return out;
}

std::string InflightJournal::reset() const {
  std::lock_guard lock(mutex_);
  if (::ftruncate(fd_, 0) != 0) {
    // The file keeps its starts for the next start to count, and so must a rewrite.
    return "cannot empty the journal of plugin calls in flight " + path_.string() + ": " +
           std::strerror(errno);
  }
  open_.clear();
  appended_ = 0;
  return "";
}

std::filesystem::path default_inflight_journal_path(const std::filesystem::path& sqlite_file,
                                                    std::string_view store_url) {
  if (!sqlite_file.empty()) {
    std::filesystem::path path = sqlite_file;
    path += "-inflight";
    return path;
  }
  // FNV-1a: stable across builds and runs, unlike std::hash.
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : store_url) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  char hex[17];
  std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(hash));
  return std::string("ttbridged-inflight-") + hex;
}

}  // namespace ttb::jobs
