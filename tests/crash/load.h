#pragma once
// The traffic of one daemon incarnation: threads posting signed Teamtailor webhooks at a steady
// rate (and redelivering some that got no answer, with the same event id, to prove the dedupe), and
// one thread playing Checkr: it lets candidates finish their checks and delivers signed
// report.completed events, redelivering every event not yet acknowledged. Everything seen goes into
// the Ledger. With several daemons, requests are spread over them. The threads stop (mid-request is
// fine) when the Load is destroyed.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <latch>
#include <memory>
#include <mutex>
#include <random>
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
  // Returns once every webhook thread is ready to send.
  Load(World& world, std::string base_url, std::uint64_t seed);
  // Several daemons behind no load balancer: each request goes to one of them at random (a dead
  // one's requests get no answer, and are sent again as above).
  Load(World& world, std::vector<std::string> base_urls, std::uint64_t seed);
  ~Load();
  Load(const Load&) = delete;
  Load& operator=(const Load&) = delete;

 private:
  void send_webhooks(std::uint64_t seed);
  void play_vendor(std::uint64_t seed);
  bool wait_or_stop(std::chrono::steady_clock::time_point until);

  World& world_;
  const std::string& any_url(std::mt19937_64& rng) const {
    return base_urls_[rng() % base_urls_.size()];
  }

  std::vector<std::string> base_urls_;
  std::mutex mutex_;
  std::condition_variable stop_cv_;
  bool stop_ = false;
  std::latch senders_ready_;  // each webhook thread has made its HTTP clients
  std::vector<std::thread> threads_;
};

// Delivers one vendor event and records its answer; returns the HTTP status (0: none).
int deliver_callback(World& world, const std::string& base_url, const CallbackRecord& record);
// Delivers every vendor event not acknowledged yet, again and again (every 100 ms, 50 times at
// most) until each is: what Checkr does once the daemon is back.
void redeliver_unacked_callbacks(World& world, const std::string& base_url);

}  // namespace ttb::crash
