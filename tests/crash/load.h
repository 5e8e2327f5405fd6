#pragma once
// The traffic of one daemon incarnation: threads posting signed Teamtailor webhooks at a steady
// rate (and redelivering some that got no answer, with the same event id, to prove the dedupe), and
// one thread playing Checkr: it lets candidates finish their checks and delivers signed
// report.completed events, redelivering every event not yet acknowledged. Everything seen goes into
// the Ledger. The threads stop (mid-request is fine) when the Load is destroyed.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "crash_settings.h"
#include "fakes/checkr/fake_checkr.h"
#include "fakes/checkr/webhook_sender.h"
#include "ledger.h"
#include "vendor_view.h"

namespace ttb::crash {

// What stays the same across incarnations.
struct World {
  const CrashSettings& settings;
  Ledger& ledger;
  VendorView& vendor;
  fakes::checkr::FakeCheckr& checkr;
  std::string webhook_secret, partner_api_key, activation_token;
  std::string test_option;    // "checkr:basic_criminal"
  std::string callback_path;  // "/callbacks/acme/checkr"
  std::set<std::string>*
      decided;  // orders whose fate (finish or not) was drawn; one Load at a time
};

class Load {
 public:
  Load(World& world, std::string base_url, std::uint64_t seed);
  ~Load();
  Load(const Load&) = delete;
  Load& operator=(const Load&) = delete;

 private:
  void send_webhooks(std::uint64_t seed);
  void play_vendor(std::uint64_t seed);
  bool wait_or_stop(std::chrono::steady_clock::time_point until);

  World& world_;
  std::string base_url_;
  std::mutex mutex_;
  std::condition_variable stop_cv_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

// Delivers one vendor event and records its answer; returns the HTTP status (0: none).
int deliver_callback(World& world, const std::string& base_url, const CallbackRecord& record);

}  // namespace ttb::crash
