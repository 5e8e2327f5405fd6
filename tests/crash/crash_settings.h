#pragma once
// How hard and how long the crash test pushes: rounds, load and kill timing, read from the
// environment so CI runs it small and an operator runs it for hours by hand.

#include <cstdint>
#include <string>

namespace ttb::crash {

struct CrashSettings {
  int rounds = 8;                // TTB_CRASH_ROUNDS: SIGKILLs before the final, drained run
  int webhook_senders = 3;       // TTB_CRASH_SENDERS: threads posting signed webhooks
  int webhooks_per_second = 60;  // TTB_CRASH_RATE: all senders together
  int min_uptime_ms = 150;       // TTB_CRASH_MIN_UP_MS: earliest kill after "listening"
  int max_uptime_ms = 900;       // TTB_CRASH_MAX_UP_MS: latest kill after "listening"
  int complete_percent = 60;     // TTB_CRASH_COMPLETE_PCT: invited orders the candidate finishes
  std::uint64_t seed = 0;        // TTB_CRASH_SEED: 0 picks one (printed, to replay a run)

  static CrashSettings from_env();
  std::string describe() const;
};

}  // namespace ttb::crash
