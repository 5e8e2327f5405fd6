#include "config/values.h"

#include <charconv>
#include <cstdlib>

#include <fmt/format.h>

#include "config/references.h"

namespace ttb::config {
namespace {

bool is_integer_text(std::string_view s) {
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) s.remove_prefix(1);
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool is_float_text(std::string_view s) {
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) s.remove_prefix(1);
  std::size_t i = 0, digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return false;
  }
  return i == s.size();
}

std::optional<bool> parse_bool(std::string_view s) {
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  return std::nullopt;
}

bool is_plain(const YAML::Node& node) {
  return node.Tag() == "?";
}

}  // namespace

std::string shown(const Entry& entry) {
  return entry.value.IsScalar() ? entry.value.Scalar() : describe(entry.value);
}

bool ValueReader::scalar_or_report(const Entry& entry, std::string_view expected) {
  if (entry.value.IsDefined() && entry.value.IsScalar()) return true;
  doc_.report(entry.value_mark(),
              fmt::format("{}: expected {}, got {}", entry.path, expected, describe(entry.value)));
  return false;
}

std::optional<std::string> ValueReader::text(const Entry& entry, std::string_view expected) {
  if (!scalar_or_report(entry, expected)) return std::nullopt;
  return resolve_references(doc_, env_, entry.value, entry.path);
}

std::optional<Secret> ValueReader::secret(const Entry& entry) {
  if (!scalar_or_report(entry, "a secret, e.g. \"${env:NAME}\" or \"${file:PATH}\"")) {
    return std::nullopt;
  }
  std::optional<std::string> value = resolve_references(doc_, env_, entry.value, entry.path);
  if (!value) return std::nullopt;
  if (value->empty()) {
    doc_.report(entry.value_mark(),
                fmt::format("{} is empty; set the secret, e.g. \"${{env:NAME}}\" or "
                            "\"${{file:PATH}}\"",
                            entry.path));
    return std::nullopt;
  }
  return Secret(std::move(*value));
}

std::optional<long long> ValueReader::integer(const Entry& entry, long long min, long long max) {
  const std::string expected = fmt::format("an integer between {} and {}", min, max);
  std::optional<std::string> value = text(entry, expected);
  if (!value) return std::nullopt;
  long long number = 0;
  const char* begin = value->data();
  const char* end = begin + value->size();
  if (!value->empty() && *begin == '+') ++begin;
  const auto [ptr, ec] = std::from_chars(begin, end, number);
  if (value->empty() || ec != std::errc() || ptr != end || number < min || number > max) {
    doc_.report(entry.value_mark(),
                fmt::format("{}: expected {}, got '{}'", entry.path, expected, shown(entry)));
    return std::nullopt;
  }
  return number;
}

std::optional<bool> ValueReader::boolean(const Entry& entry) {
  std::optional<std::string> value = text(entry, "true or false");
  if (!value) return std::nullopt;
  std::optional<bool> result = parse_bool(*value);
  if (!result) {
    doc_.report(entry.value_mark(),
                fmt::format("{}: expected true or false, got '{}'", entry.path, shown(entry)));
  }
  return result;
}

std::optional<nlohmann::json> ValueReader::json(const YAML::Node& node, const std::string& path) {
  if (!node.IsDefined() || node.IsNull()) return nlohmann::json(nullptr);
  if (node.IsSequence()) {
    nlohmann::json out = nlohmann::json::array();
    bool ok = true;
    std::size_t index = 0;
    for (const YAML::Node& item : node) {
      std::optional<nlohmann::json> value = json(item, fmt::format("{}[{}]", path, index++));
      if (value) {
        out.push_back(std::move(*value));
      } else {
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    return out;
  }
  if (node.IsMap()) {
    nlohmann::json out = nlohmann::json::object();
    bool ok = true;
    for (auto it = node.begin(); it != node.end(); ++it) {
      const YAML::Node key = it->first;
      if (!key.IsScalar()) {
        doc_.report(key.Mark(), fmt::format("{}: a key is {}; keys must be single values", path,
                                            describe(key)));
        ok = false;
        continue;
      }
      const std::string child = child_path(path, key.Scalar());
      if (out.contains(key.Scalar())) {
        doc_.report(key.Mark(),
                    fmt::format("{}: key '{}' is repeated; keep only one", path, key.Scalar()));
        ok = false;
        continue;
      }
      std::optional<nlohmann::json> value = json(it->second, child);
      if (value) {
        out[key.Scalar()] = std::move(*value);
      } else {
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    return out;
  }
  // A scalar. Plain ones follow YAML's core schema; quoted ones stay strings.
  const std::string& raw = node.Scalar();
  if (is_plain(node)) {
    if (raw == "~" || raw == "null" || raw == "Null" || raw == "NULL")
      return nlohmann::json(nullptr);
    if (std::optional<bool> b = parse_bool(raw)) return nlohmann::json(*b);
    if (is_integer_text(raw)) {
      long long number = 0;
      const char* begin = raw.data() + (raw.front() == '+' ? 1 : 0);
      const auto [ptr, ec] = std::from_chars(begin, raw.data() + raw.size(), number);
      if (ec == std::errc() && ptr == raw.data() + raw.size()) return nlohmann::json(number);
    }
    if (is_float_text(raw)) return nlohmann::json(std::strtod(raw.c_str(), nullptr));
  }
  std::optional<std::string> value = resolve_references(doc_, env_, node, path);
  if (!value) return std::nullopt;
  return nlohmann::json(std::move(*value));
}

}  // namespace ttb::config
