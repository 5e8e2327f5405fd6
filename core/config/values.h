#pragma once
// Typed reads of YAML values (text, secret, integer, boolean, free-form JSON) with references
// resolved and one problem reported per bad value. Internal to ttb_config.

#include <optional>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "config/document.h"
#include "config/load.h"
#include "config/secret.h"

namespace ttb::config {

// A value as written in the file, for messages: a value that came from a reference is shown as
// the reference, since a variable or file may hold a secret even where the key does not.
std::string shown(const Entry& entry);

class ValueReader {
 public:
  ValueReader(Document& doc, const Environment& env) : doc_(doc), env_(env) {}

  // A single value with references resolved. `expected` completes "expected ..." in messages.
  // Messages about a bad text value quote it with shown(), never the resolved text.
  std::optional<std::string> text(const Entry& entry, std::string_view expected);
  // Like text, but never quoted in any message, and an empty value is a problem.
  std::optional<Secret> secret(const Entry& entry);
  std::optional<long long> integer(const Entry& entry, long long min, long long max);
  std::optional<bool> boolean(const Entry& entry);
  // Any YAML value as JSON: plain scalars typed as YAML's core schema (null, true/false,
  // numbers), quoted scalars as strings, references resolved in every string. Values are never
  // quoted in messages: provider settings often hold secrets.
  std::optional<nlohmann::json> json(const YAML::Node& node, const std::string& path);

  Document& doc() { return doc_; }

 private:
  bool scalar_or_report(const Entry& entry, std::string_view expected);

  Document& doc_;
  const Environment& env_;
};

}  // namespace ttb::config
