#pragma once
// One YAML file being read: its text, where problems go, and a view of a map that reports
// unknown, repeated and missing keys. Internal to ttb_config.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/problem.h"

namespace ttb::config {

// Configuration files are small: a main or tenant file is read up to this size.
constexpr std::size_t kMaxConfigFileBytes = std::size_t{4} * 1024 * 1024;
// Limits on a parsed YAML document, checked before anything reads it: how deep it nests, and how
// many values a walk visits with every alias expanded (an alias bomb names a few nodes many
// times over).
constexpr int kMaxYamlDepth = 64;
constexpr std::size_t kMaxYamlNodes = 100000;

// A regular file read whole, or why not. Opened without blocking, so a FIFO or a device never
// hangs the loader; anything but a regular file is refused before reading.
struct FileText {
  enum class Failure { none, cannot_open, not_regular, too_large, read_error };
  std::optional<std::string> text;
  Failure failure = Failure::none;
  std::string error;  // the system's reason, or a sentence for not_regular / too_large
  unsigned mode = 0;  // the file's permission bits (st_mode & 07777)
};
FileText read_regular_file(const std::filesystem::path& file, std::size_t max_bytes);

// Reads a whole regular file of at most `max_bytes`. On failure returns nullopt and sets `error`
// to the reason.
std::optional<std::string> read_whole_file(const std::filesystem::path& file, std::string& error,
                                           std::size_t max_bytes = kMaxConfigFileBytes);

class Document {
 public:
  Document(std::filesystem::path file, std::string text, std::vector<Problem>& problems);

  // Parses the text; a syntax error is reported (with yaml-cpp's position) and gives nullopt.
  // So does a document deeper than kMaxYamlDepth or larger than kMaxYamlNodes values once its
  // aliases are expanded. An empty file gives a null node.
  std::optional<YAML::Node> parse();

  const std::filesystem::path& file() const { return file_; }
  const std::string& text() const { return text_; }
  std::size_t problem_count() const { return problems_.size(); }

  SourceRef at(const YAML::Mark& mark) const;  // a null mark means line 1, column 1
  SourceRef at_offset(std::size_t offset) const;
  void report(const YAML::Mark& mark, std::string message);
  void report(SourceRef where, std::string message);

 private:
  // Reports and returns false when `root` exceeds kMaxYamlDepth or kMaxYamlNodes. Stops at the
  // limit, so an alias bomb costs at most kMaxYamlNodes steps.
  bool within_limits(const YAML::Node& root);

  std::filesystem::path file_;
  std::string file_name_;
  std::string text_;
  std::vector<Problem>& problems_;
  mutable std::vector<std::size_t> line_starts_;  // at_offset's index, made at its first call
};

// "a map", "a list", "a string", "nothing": what a value is, for "expected X, got Y" messages.
std::string describe(const YAML::Node& node);

// One key of a map and its value. `path` names it in messages ("server.listen").
struct Entry {
  std::string key;
  YAML::Node key_node;
  YAML::Node value;
  std::string path;
  // Where the value is; for an empty value, where its key is (yaml-cpp puts a null value's mark
  // on the next line).
  YAML::Mark value_mark() const;
};

class MapView {
 public:
  // Reports a value that is not a map, every unknown key (naming the allowed ones) and every
  // repeated key. A null or absent node is an empty map. `mark` places problems about the map as
  // a whole (a missing key); `path` is "" for the top level of a file.
  MapView(Document& doc, const YAML::Node& node, const YAML::Mark& mark, std::string path,
          std::vector<std::string_view> allowed);

  bool is_map() const { return is_map_; }
  const Entry* find(std::string_view key) const;
  // Like find, but reports a missing (or empty) key. `example` shows a line to add.
  const Entry* require(std::string_view key, std::string_view example);
  const YAML::Mark& mark() const { return mark_; }
  const std::string& path() const { return path_; }

 private:
  Document& doc_;
  YAML::Mark mark_;
  std::string path_;
  bool is_map_ = true;
  std::vector<Entry> entries_;
};

std::string child_path(std::string_view parent, std::string_view key);

}  // namespace ttb::config
