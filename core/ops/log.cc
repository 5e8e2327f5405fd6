#include "ops/log.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <mutex>
#include <string>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "ops/json_string.h"

namespace ttb::ops {
namespace {

std::atomic<LogFormat> g_format{LogFormat::text};
std::atomic<Level> g_min_level{Level::info};
std::mutex g_write_mutex;

// This thread's open LogBatch scopes and the lines they hold.
struct HeldLines {
  int depth = 0;
  std::string text;
};
thread_local HeldLines t_held;

// Past this, held lines are written at once: a long batch holds no more than this in memory.
constexpr std::size_t kMaxHeldBytes = std::size_t{64} * 1024;

void write_to_stderr(const std::string& text) {
  std::lock_guard lock(g_write_mutex);
  std::fwrite(text.data(), 1, text.size(), stderr);
}

const char* level_name(Level level) {
  switch (level) {
    case Level::debug:
      return "debug";
    case Level::info:
      return "info";
    case Level::warn:
      return "warn";
    case Level::error:
      return "error";
  }
  return "info";
}

std::string timestamp() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z",
                     fmt::gmtime(std::chrono::system_clock::to_time_t(now)),
                     static_cast<int>(ms.count()));
}

// Text values are quoted only when they would be ambiguous to read.
void append_text_value(std::string& out, std::string_view v) {
  bool plain = !v.empty() && v.find_first_of(" \"=\t\n") == std::string_view::npos;
  if (plain) {
    out.append(v);
  } else {
    append_json_string(out, v);
  }
}

// JSON has no NaN or infinity: such a value is written as null, as a JSON library would.
void append_json_number(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out.append("null");
    return;
  }
  // The shortest text that reads back as the same double; a whole number keeps a ".0" so that
  // a reader still sees a float.
  const std::size_t start = out.size();
  fmt::format_to(std::back_inserter(out), "{}", v);
  if (out.find_first_of(".eE", start) == std::string::npos) out.append(".0");
}

}  // namespace

void init_logging(LogFormat format, Level min_level) {
  if (format == LogFormat::automatic)
    format = isatty(STDERR_FILENO) ? LogFormat::text : LogFormat::json;
  g_format = format;
  g_min_level = min_level;
}

bool enabled(Level level) {
  return level >= g_min_level.load(std::memory_order_relaxed);
}

std::string format_line(LogFormat format, Level level, std::string_view event,
                        std::initializer_list<Field> fields) {
  if (format == LogFormat::json) {
    // Written straight into the line, in the order given: no JSON tree for one line per request.
    std::string line =
        R"({"ts":")" + timestamp() + R"(","level":")" + level_name(level) + R"(","event":)";
    append_json_string(line, event);
    for (const auto& field : fields) {
      line.push_back(',');
      append_json_string(line, field.key);
      line.push_back(':');
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::string_view>)
              append_json_string(line, v);
            else if constexpr (std::is_same_v<T, bool>)
              line.append(v ? "true" : "false");
            else if constexpr (std::is_same_v<T, double>)
              append_json_number(line, v);
            else
              fmt::format_to(std::back_inserter(line), "{}", v);
          },
          field.value);
    }
    line.push_back('}');
    return line;
  }
  std::string out = fmt::format("{} {:5} {}", timestamp(), level_name(level), event);
  for (const auto& field : fields) {
    out.push_back(' ');
    out.append(field.key);
    out.push_back('=');
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::string_view>)
            append_text_value(out, v);
          else if constexpr (std::is_same_v<T, bool>)
            out.append(v ? "true" : "false");
          else
            out.append(fmt::format("{}", v));
        },
        field.value);
  }
  return out;
}

void log_event(Level level, std::string_view event, std::initializer_list<Field> fields) {
  if (!enabled(level)) return;
  std::string line = format_line(g_format.load(std::memory_order_relaxed), level, event, fields);
  line.push_back('\n');
  if (t_held.depth == 0) {
    write_to_stderr(line);
    return;
  }
  t_held.text += line;
  if (t_held.text.size() >= kMaxHeldBytes) {
    write_to_stderr(t_held.text);
    t_held.text.clear();
  }
}

LogBatch::LogBatch() {
  ++t_held.depth;
}

LogBatch::~LogBatch() {
  if (--t_held.depth > 0 || t_held.text.empty()) return;
  write_to_stderr(t_held.text);
  t_held.text.clear();
}

}  // namespace ttb::ops
