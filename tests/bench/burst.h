#pragma once
// The burst phase: one tenant sends many orders at once to one provider. Measures how soon the
// first `sent` card reaches Teamtailor, how long until every order's card is written, and the
// largest gap, at any moment, between invitations made and `sent` cards written: a backlog of
// invitations must not hold back the cards of the orders already invited (docs/performance.md,
// "Burst").

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include "fakes/teamtailor/fake_teamtailor.h"

namespace ttb::bench {

struct BurstOptions {
  unsigned short port = 0;  // the daemon, on 127.0.0.1
  int orders = 2000;
  // Raw HTTP/1.1 bytes of the k-th signed webhook, all of one tenant and one provider.
  std::function<std::string(int k)> webhook;
  // Invitations the vendor fake has made so far (the phase counts from its value at the start).
  std::function<std::size_t()> invitations_made;
  std::chrono::seconds limit{180};  // the phase gives up waiting for the cards after this
};

struct BurstResult {
  std::size_t accepted = 0;      // webhooks answered 2xx
  std::size_t invited = 0;       // invitations made during the phase
  std::size_t sent = 0;          // `sent` cards written during the phase
  double first_sent_ms = -1;     // first webhook sent -> first `sent` card's first byte at the fake
  double drain_s = -1;           // first webhook sent -> the last order's `sent` card; -1: not all
  std::size_t max_sent_lag = 0;  // invitations made minus `sent` cards written, sampled
  int samples = 0;
  std::string first_error;
};

// Sends the burst over 16 keep-alive connections while sampling both counts every 10 ms (each
// sample counts the cards first, then the invitations, so a lag is never under-counted). Counts
// from the fakes' totals at the start: run it when no other card is being written.
BurstResult run_burst(const fakes::FakeTeamtailor& teamtailor, const BurstOptions& options);

}  // namespace ttb::bench
