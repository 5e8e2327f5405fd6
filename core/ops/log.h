#pragma once
// Structured event log: one line per event with stable keys (event, tenant, provider, order, job,
// status, duration_ms, request_id). JSON lines when stderr is not a terminal, readable text when
// it is. Callers pass ids only: no secrets, no candidate personal data.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace ttb::ops {

enum class Level { debug, info, warn, error };
enum class LogFormat { automatic, json, text };

struct Field {
  std::string_view key;
  std::variant<std::string_view, std::int64_t, double, bool> value;

  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  Field(std::string_view k, int v) : key(k), value(static_cast<std::int64_t>(v)) {}
  Field(std::string_view k, long v) : key(k), value(static_cast<std::int64_t>(v)) {}
  Field(std::string_view k, long long v) : key(k), value(static_cast<std::int64_t>(v)) {}
  Field(std::string_view k, unsigned v) : key(k), value(static_cast<std::int64_t>(v)) {}
  Field(std::string_view k, unsigned long v) : key(k), value(static_cast<std::int64_t>(v)) {}
  Field(std::string_view k, double v) : key(k), value(v) {}
  Field(std::string_view k, bool v) : key(k), value(v) {}
};

// Configures the process-wide sink (stderr). Safe to call again; the last call wins.
void init_logging(LogFormat format = LogFormat::automatic, Level min_level = Level::info);

void log_event(Level level, std::string_view event, std::initializer_list<Field> fields = {});

inline void log_info(std::string_view event, std::initializer_list<Field> fields = {}) {
  log_event(Level::info, event, fields);
}
inline void log_warn(std::string_view event, std::initializer_list<Field> fields = {}) {
  log_event(Level::warn, event, fields);
}
inline void log_error(std::string_view event, std::initializer_list<Field> fields = {}) {
  log_event(Level::error, event, fields);
}
inline void log_debug(std::string_view event, std::initializer_list<Field> fields = {}) {
  log_event(Level::debug, event, fields);
}

bool enabled(Level level);

// While one is alive, the lines this thread logs are held and written together when it ends: one
// write for a loop that logs once per item, instead of one each (stderr has no buffer). For
// short loops only, such as the store answering a committed batch: its lines reach the log when
// the loop ends, and a crash inside it loses them. Lines of other threads are not held. Nested
// batches write once, when the outermost ends.
class LogBatch {
 public:
  LogBatch();
  ~LogBatch();
  LogBatch(const LogBatch&) = delete;
  LogBatch& operator=(const LogBatch&) = delete;
};

// Formats one line (no trailing newline); exposed for tests.
std::string format_line(LogFormat format, Level level, std::string_view event,
                        std::initializer_list<Field> fields);

}  // namespace ttb::ops
