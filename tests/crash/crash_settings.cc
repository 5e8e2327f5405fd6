#include "crash_settings.h"

#include <algorithm>
#include <cstdlib>
#include <random>

namespace ttb::crash {
namespace {

long long env_number(const char* name, long long fallback, long long min, long long max) {
  const char* text = std::getenv(name);
  if (!text || !*text) return fallback;
  char* end = nullptr;
  long long value = std::strtoll(text, &end, 10);
  if (end == text || *end != '\0') return fallback;
  return std::clamp(value, min, max);
}

}  // namespace

CrashSettings CrashSettings::from_env() {
  CrashSettings s;
  s.rounds = static_cast<int>(env_number("TTB_CRASH_ROUNDS", s.rounds, 1, 1000000));
  s.webhook_senders = static_cast<int>(env_number("TTB_CRASH_SENDERS", s.webhook_senders, 1, 64));
  s.webhooks_per_second =
      static_cast<int>(env_number("TTB_CRASH_RATE", s.webhooks_per_second, 1, 100000));
  s.min_uptime_ms = static_cast<int>(env_number("TTB_CRASH_MIN_UP_MS", s.min_uptime_ms, 0, 600000));
  s.max_uptime_ms =
      static_cast<int>(env_number("TTB_CRASH_MAX_UP_MS", s.max_uptime_ms, s.min_uptime_ms, 600000));
  s.complete_percent =
      static_cast<int>(env_number("TTB_CRASH_COMPLETE_PCT", s.complete_percent, 0, 100));
  s.seed = static_cast<std::uint64_t>(env_number("TTB_CRASH_SEED", 0, 0, 1LL << 62));
  if (s.seed == 0) s.seed = std::random_device{}() | 1;
  return s;
}

std::string CrashSettings::describe() const {
  return "rounds=" + std::to_string(rounds) + " senders=" + std::to_string(webhook_senders) +
         " rate=" + std::to_string(webhooks_per_second) +
         "/s uptime=" + std::to_string(min_uptime_ms) + ".." + std::to_string(max_uptime_ms) +
         "ms complete=" + std::to_string(complete_percent) + "% seed=" + std::to_string(seed);
}

}  // namespace ttb::crash
