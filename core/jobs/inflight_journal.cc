#include "jobs/inflight_journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>

namespace ttb::jobs {

std::unique_ptr<InflightJournal> InflightJournal::open(const std::filesystem::path& path,
                                                       std::string& error) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    error = "cannot open the journal of plugin calls in flight " + path.string() + ": " +
            std::strerror(errno) + "; make its directory writable by the daemon's user";
    return nullptr;
  }
  return std::unique_ptr<InflightJournal>(new InflightJournal(fd, path));
}

InflightJournal::~InflightJournal() {
  ::close(fd_);
}

void InflightJournal::write_line(const char* line, std::size_t size) const {
  // O_APPEND makes each line one atomic append, whichever thread writes it.
  const auto written = ::write(fd_, line, size);
  (void)written;
}

void InflightJournal::append(char mark, std::int64_t job_id) const {
  char line[24];
  line[0] = mark;
  auto [end, ec] = std::to_chars(line + 1, line + sizeof(line) - 1, job_id);
  if (ec != std::errc()) return;
  *end++ = '\n';
  write_line(line, static_cast<std::size_t>(end - line));
}

void InflightJournal::append_callback(char mark, std::uint64_t digest) const {
  char line[24];
  const int n = std::snprintf(line, sizeof(line), "%cc%016llx\n", mark,
                              static_cast<unsigned long long>(digest));
  if (n > 0) write_line(line, static_cast<std::size_t>(n));
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
  if (::ftruncate(fd_, 0) != 0) {
    return "cannot empty the journal of plugin calls in flight " + path_.string() + ": " +
           std::strerror(errno);
  }
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
