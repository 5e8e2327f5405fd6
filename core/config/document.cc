#include "config/document.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sstream>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>

namespace ttb::config {

FileText read_regular_file(const std::filesystem::path& file, std::size_t max_bytes) {
  FileText out;
  // O_NONBLOCK: opening a FIFO for reading must not wait for a writer.
  const int fd = ::open(file.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    out.failure = FileText::Failure::cannot_open;
    out.error = std::strerror(errno);
    return out;
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    out.failure = FileText::Failure::read_error;
    out.error = std::strerror(errno);
    return out;
  }
  out.mode = static_cast<unsigned>(info.st_mode & 07777);
  if (!S_ISREG(info.st_mode)) {
    out.failure = FileText::Failure::not_regular;
    out.error = S_ISDIR(info.st_mode)                            ? "a directory"
                : S_ISFIFO(info.st_mode)                         ? "a FIFO, not a regular file"
                : S_ISCHR(info.st_mode) || S_ISBLK(info.st_mode) ? "a device, not a regular file"
                                                                 : "not a regular file";
    return out;
  }
  std::string text;
  char buffer[16384];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      out.failure = FileText::Failure::read_error;
      out.error = std::strerror(errno);
      return out;
    }
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > max_bytes) {
      out.failure = FileText::Failure::too_large;
      out.error = fmt::format("larger than {} bytes", max_bytes);
      return out;
    }
  }
  out.text = std::move(text);
  return out;
}

std::optional<std::string> read_whole_file(const std::filesystem::path& file, std::string& error,
                                           std::size_t max_bytes) {
  FileText read = read_regular_file(file, max_bytes);
  if (!read.text) error = read.error;
  return std::move(read.text);
}

namespace {

// Notes where the first node of a document starts; builds nothing.
class FirstNode final : public YAML::EventHandler {
 public:
  std::optional<YAML::Mark> mark;

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark& at, YAML::anchor_t) override { note(at); }
  void OnScalar(const YAML::Mark& at, const std::string&, YAML::anchor_t,
                const std::string&) override {
    note(at);
  }
  void OnSequenceStart(const YAML::Mark& at, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    note(at);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& at, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    note(at);
  }
  void OnMapEnd() override {}

 private:
  void note(const YAML::Mark& at) {
    if (!mark) mark = at;
  }
};

// Where a second document with content starts in `text`, if one does. Only a line that starts
// with `---` or `...` can begin one, so a text without such a line is not parsed again. The
// parser is asked for two documents at most: yaml-cpp 0.7's LoadAll loops for ever on some
// malformed input (found by the config fuzz targets), handing out empty documents.
std::optional<YAML::Mark> second_document(const std::string& text) {
  bool marker = false;
  for (std::size_t at = text.find('\n'); at != std::string::npos && !marker;
       at = text.find('\n', at + 1)) {
    marker = text.compare(at + 1, 3, "---") == 0 || text.compare(at + 1, 3, "...") == 0;
  }
  if (!marker) return std::nullopt;
  std::istringstream in(text);
  YAML::Parser parser(in);
  FirstNode first;
  if (!parser.HandleNextDocument(first)) return std::nullopt;
  FirstNode second;
  if (!parser.HandleNextDocument(second)) return std::nullopt;
  return second.mark;  // nullopt for a `---` with nothing after it
}

}  // namespace

Document::Document(std::filesystem::path file, std::string text, std::vector<Problem>& problems)
    : file_(std::move(file)),
      file_name_(file_.string()),
      text_(std::move(text)),
      problems_(problems) {}

std::optional<YAML::Node> Document::parse() {
  try {
    YAML::Node root = YAML::Load(text_);
    // Load reads the first document only: what follows a `---` line would be dropped without a
    // word, and a tenant lose its providers at a reload.
    if (auto second = second_document(text_)) {
      report(*second,
             "a second YAML document starts here (after a `---` line); a configuration file "
             "holds one: merge it into the first, or move it to a file of its own");
      return std::nullopt;
    }
    if (!within_limits(root)) return std::nullopt;
    return root;
  } catch (const YAML::Exception& e) {
    report(e.mark, fmt::format("YAML syntax error: {}; check the indentation, quotes and brackets "
                               "around here",
                               e.msg));
    return std::nullopt;
  }
}

bool Document::within_limits(const YAML::Node& root) {
  std::vector<std::pair<YAML::Node, int>> pending{{root, 0}};
  std::size_t visited = 0;
  while (!pending.empty()) {
    auto [node, depth] = std::move(pending.back());
    pending.pop_back();
    if (++visited > kMaxYamlNodes) {
      report(node.Mark(),
             fmt::format("this YAML expands to more than {} values (aliases repeat what they "
                         "name); a configuration file needs far fewer, so remove the aliases",
                         kMaxYamlNodes));
      return false;
    }
    if (depth > kMaxYamlDepth) {
      report(node.Mark(), fmt::format("this YAML nests deeper than {} levels; a configuration "
                                      "file needs far fewer",
                                      kMaxYamlDepth));
      return false;
    }
    if (node.IsSequence()) {
      for (const auto& item : node) pending.emplace_back(item, depth + 1);
    } else if (node.IsMap()) {
      for (const auto& item : node) {
        pending.emplace_back(item.first, depth + 1);
        pending.emplace_back(item.second, depth + 1);
      }
    }
  }
  return true;
}

SourceRef Document::at(const YAML::Mark& mark) const {
  if (mark.is_null()) return SourceRef{file_name_, 1, 1};
  return SourceRef{file_name_, mark.line + 1, mark.column + 1};
}

SourceRef Document::at_offset(std::size_t offset) const {
  // Where each line starts, found once: a file with thousands of bad references asks this for
  // each, and walking the text from the top every time made the start quadratic.
  if (line_starts_.empty()) {
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < text_.size(); ++i) {
      if (text_[i] == '\n') line_starts_.push_back(i + 1);
    }
  }
  offset = std::min(offset, text_.size());
  const auto next_line = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const auto line = static_cast<std::size_t>(next_line - line_starts_.begin());
  return SourceRef{file_name_, static_cast<int>(line),
                   static_cast<int>(offset - line_starts_[line - 1] + 1)};
}

void Document::report(const YAML::Mark& mark, std::string message) {
  report(at(mark), std::move(message));
}

void Document::report(SourceRef where, std::string message) {
  problems_.push_back(Problem{std::move(where), std::move(message)});
}

std::string describe(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsMap()) return "a map";
  if (node.IsSequence()) return "a list";
  return "a single value";
}

YAML::Mark Entry::value_mark() const {
  if (!value.IsDefined() || value.IsNull() || value.Mark().is_null()) return key_node.Mark();
  return value.Mark();
}

std::string child_path(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return fmt::format("{}.{}", parent, key);
}

namespace {

// Levenshtein distance, for "did you mean" on misspelt keys.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string in_where(std::string_view path) {
  return path.empty() ? std::string("at the top level") : fmt::format("in {}", path);
}

}  // namespace

MapView::MapView(Document& doc, const YAML::Node& node, const YAML::Mark& mark, std::string path,
                 std::vector<std::string_view> allowed)
    : doc_(doc), mark_(mark), path_(std::move(path)) {
  if (!node.IsDefined() || node.IsNull()) return;
  const std::string allowed_list = fmt::format("{}", fmt::join(allowed, ", "));
  if (!node.IsMap()) {
    is_map_ = false;
    doc_.report(node.Mark(),
                fmt::format("{}: expected a map with the keys {}, got {}",
                            path_.empty() ? "file" : path_, allowed_list, describe(node)));
    return;
  }
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key_node = it->first;
    if (!key_node.IsScalar()) {
      doc_.report(key_node.Mark(), fmt::format("a key {} is {}; keys must be plain names ({})",
                                               in_where(path_), describe(key_node), allowed_list));
      continue;
    }
    const std::string& key = key_node.Scalar();
    bool known = false;
    for (auto name : allowed) known = known || name == key;
    if (!known) {
      std::string_view closest;
      std::size_t best = 3;  // suggest only near misses
      for (auto name : allowed) {
        const std::size_t d = edit_distance(key, name);
        if (d < best) best = d, closest = name;
      }
      std::string hint =
          closest.empty() ? std::string() : fmt::format(" (did you mean '{}'?)", closest);
      doc_.report(key_node.Mark(), fmt::format("unknown key '{}' {}{}; allowed keys: {}", key,
                                               in_where(path_), hint, allowed_list));
      continue;
    }
    if (const Entry* first = find(key)) {
      const SourceRef prior = doc_.at(first->key_node.Mark());
      doc_.report(key_node.Mark(),
                  fmt::format("key '{}' {} is repeated (first at line {}); keep only one", key,
                              in_where(path_), prior.line));
      continue;
    }
    entries_.push_back(Entry{key, key_node, it->second, child_path(path_, key)});
  }
}

const Entry* MapView::find(std::string_view key) const {
  for (const Entry& entry : entries_) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

const Entry* MapView::require(std::string_view key, std::string_view example) {
  const Entry* entry = find(key);
  if (entry == nullptr) {
    if (is_map_) {
      doc_.report(mark_, fmt::format("missing required key '{}' {}; add it, e.g. {}", key,
                                     in_where(path_), example));
    }
    return nullptr;
  }
  if (!entry->value.IsDefined() || entry->value.IsNull()) {
    doc_.report(entry->value_mark(),
                fmt::format("{} has no value; set it, e.g. {}", entry->path, example));
    return nullptr;
  }
  return entry;
}

}  // namespace ttb::config
