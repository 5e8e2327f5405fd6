#include "ops/log.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace ttb::ops {
namespace {

std::atomic<LogFormat> g_format{LogFormat::text};
std::atomic<Level> g_min_level{Level::info};
std::mutex g_write_mutex;

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
    out.append(nlohmann::json(std::string(v))
                   .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
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
    nlohmann::json line = nlohmann::json::object();
    line["ts"] = timestamp();
    line["level"] = level_name(level);
    line["event"] = std::string(event);
    for (const auto& field : fields) {
      auto& slot = line[std::string(field.key)];
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::string_view>)
              slot = std::string(v);
            else
              slot = v;
          },
          field.value);
    }
    return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
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
  std::lock_guard lock(g_write_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace ttb::ops
