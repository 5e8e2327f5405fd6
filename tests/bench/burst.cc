#include "burst.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "load.h"

namespace ttb::bench {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// The `sent` cards written at or after `since`.
std::vector<std::chrono::system_clock::time_point> sent_since(
    const fakes::FakeTeamtailor& teamtailor, std::chrono::system_clock::time_point since) {
  std::vector<std::chrono::system_clock::time_point> out;
  for (const auto& w : teamtailor.writes()) {
    if (w.at >= since && w.attributes.value("status", "") == "sent") out.push_back(w.at);
  }
  return out;
}

}  // namespace

BurstResult run_burst(const fakes::FakeTeamtailor& teamtailor, const BurstOptions& options) {
  BurstResult result;
  std::vector<std::string> hooks;
  hooks.reserve(static_cast<std::size_t>(options.orders));
  for (int k = 0; k < options.orders; ++k) hooks.push_back(options.webhook(k));
  const std::size_t invited_before = options.invitations_made();
  const std::size_t sent_before = teamtailor.count_writes("sent");

  const auto started_sys = std::chrono::system_clock::now();
  const auto started = Clock::now();
  std::atomic<bool> load_done{false};
  LoadResult load;
  std::thread sender([&] {
    LoadOptions o;
    o.port = options.port;
    o.connections = 16;
    o.max_duration = 60s;
    load = run_load(hooks, o);
    load_done = true;
  });
  // Sample until every accepted order has its card (or the limit).
  while (Clock::now() - started < options.limit) {
    const std::size_t sent = teamtailor.count_writes("sent") - sent_before;
    const std::size_t invited = options.invitations_made() - invited_before;
    if (invited > sent) result.max_sent_lag = std::max(result.max_sent_lag, invited - sent);
    ++result.samples;
    if (load_done && sent >= load.ok) break;
    std::this_thread::sleep_for(10ms);
  }
  sender.join();
  result.accepted = load.ok;
  result.first_error = load.first_error;
  result.invited = options.invitations_made() - invited_before;
  auto sent = sent_since(teamtailor, started_sys);
  result.sent = sent.size();
  std::sort(sent.begin(), sent.end());
  if (!sent.empty()) {
    result.first_sent_ms =
        std::chrono::duration<double, std::milli>(sent.front() - started_sys).count();
  }
  if (!sent.empty() && sent.size() >= result.accepted) {
    result.drain_s = std::chrono::duration<double>(sent.back() - started_sys).count();
  }
  return result;
}

}  // namespace ttb::bench
