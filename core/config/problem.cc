#include "config/problem.h"

#include <fmt/format.h>

namespace ttb::config {

std::string Problem::to_string() const {
  if (where.file.empty()) return message;
  if (where.line <= 0) return fmt::format("{}: {}", where.file, message);
  if (where.column <= 0) return fmt::format("{}:{}: {}", where.file, where.line, message);
  return fmt::format("{}:{}:{}: {}", where.file, where.line, where.column, message);
}

}  // namespace ttb::config
