#pragma once
// What the test's clients saw, as Teamtailor and Checkr would remember it: every webhook sent and
// whether the daemon acknowledged it, every vendor event and whether it was acknowledged, and
// when each daemon incarnation started (to tell a crash-forced retry from a real duplicate).
// Thread-safe.

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fakes/teamtailor/webhook_sender.h"

namespace ttb::crash {

// none: no HTTP answer arrived (the daemon died first); acked: 2xx; refused: any other status.
enum class Answer { none, acked, refused };

struct WebhookRecord {
  fakes::WebhookParams params;
  Answer answer = Answer::none;  // acked is final: a later resend cannot un-acknowledge it
  int sends = 0;
  int last_status = 0;
};

struct CallbackRecord {  // NOLINT(bugprone-exception-escape): nlohmann::json's move cannot throw
  std::string order_id, invitation_id, report_id;
  nlohmann::json event;
  Answer answer = Answer::none;
  int deliveries = 0;
  int last_status = 0;
};

class Ledger {
 public:
  void webhook_sending(const fakes::WebhookParams& params);
  void webhook_answered(const std::string& order_id, int status);
  // A webhook that got no answer, for a redelivery with the same event id; picked at
  // random so every one gets its chance.
  std::optional<fakes::WebhookParams> unanswered_webhook(std::mt19937_64& rng) const;

  void callback_sending(const CallbackRecord& record);
  void callback_answered(const std::string& order_id, int status);
  std::vector<CallbackRecord> unacked_callbacks() const;

  // system_clock, because the Teamtailor fake stamps its writes with it.
  void incarnation_started(std::chrono::system_clock::time_point at);
  void killed();
  // Which incarnation (0-based) was alive at `at`: the last one started at or before it.
  int incarnation_at(std::chrono::system_clock::time_point at) const;

  std::map<std::string, WebhookRecord> webhooks() const;
  std::map<std::string, CallbackRecord> callbacks() const;
  int kills() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, WebhookRecord> webhooks_;
  std::vector<std::string> unanswered_;  // order ids whose webhook has Answer::none
  std::map<std::string, CallbackRecord> callbacks_;
  std::vector<std::chrono::system_clock::time_point> starts_;
  int kills_ = 0;
};

}  // namespace ttb::crash
