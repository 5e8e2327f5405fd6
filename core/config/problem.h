#pragma once
// One finding while loading configuration, with the place it refers to. Loading collects all of
// them so an operator can fix a file in one pass.

#include <string>

namespace ttb::config {

struct SourceRef {
  std::string file;
  int line = 0;    // 1-based; 0 when the problem concerns the whole file
  int column = 0;  // 1-based; 0 when unknown
};

struct Problem {
  SourceRef where;
  std::string message;

  // "file:line:col: message" (or "file: message" without a line).
  std::string to_string() const;
};

}  // namespace ttb::config
