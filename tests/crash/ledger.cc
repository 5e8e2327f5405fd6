#include "ledger.h"

#include <algorithm>

namespace ttb::crash {
namespace {

Answer answer_of(int status) {
  if (status == 0) return Answer::none;
  return status >= 200 && status < 300 ? Answer::acked : Answer::refused;
}

}  // namespace

void Ledger::webhook_sending(const fakes::WebhookParams& params) {
  std::lock_guard lock(mutex_);
  auto [it, fresh] = webhooks_.try_emplace(params.partner_result_id);
  if (fresh) it->second.params = params;
  ++it->second.sends;
}

void Ledger::webhook_answered(const std::string& order_id, int status) {
  std::lock_guard lock(mutex_);
  WebhookRecord& record = webhooks_.at(order_id);
  record.last_status = status;
  const Answer answer = answer_of(status);
  auto pending = std::find(unanswered_.begin(), unanswered_.end(), order_id);
  if (record.answer != Answer::acked && answer != Answer::none) record.answer = answer;
  if (record.answer == Answer::none) {
    if (pending == unanswered_.end()) unanswered_.push_back(order_id);
  } else if (pending != unanswered_.end()) {
    unanswered_.erase(pending);
  }
}

std::optional<fakes::WebhookParams> Ledger::unanswered_webhook(std::mt19937_64& rng) const {
  std::lock_guard lock(mutex_);
  if (unanswered_.empty()) return std::nullopt;
  std::uniform_int_distribution<std::size_t> pick(0, unanswered_.size() - 1);
  return webhooks_.at(unanswered_[pick(rng)]).params;
}

void Ledger::callback_sending(const CallbackRecord& record) {
  std::lock_guard lock(mutex_);
  auto [it, fresh] = callbacks_.try_emplace(record.order_id, record);
  (void)fresh;
  ++it->second.deliveries;
}

void Ledger::callback_answered(const std::string& order_id, int status) {
  std::lock_guard lock(mutex_);
  CallbackRecord& record = callbacks_.at(order_id);
  record.last_status = status;
  const Answer answer = answer_of(status);
  if (record.answer != Answer::acked && answer != Answer::none) record.answer = answer;
}

std::vector<CallbackRecord> Ledger::unacked_callbacks() const {
  std::lock_guard lock(mutex_);
  std::vector<CallbackRecord> out;
  for (const auto& [id, record] : callbacks_) {
    if (record.answer != Answer::acked) out.push_back(record);
  }
  return out;
}

void Ledger::incarnation_started(std::chrono::system_clock::time_point at) {
  std::lock_guard lock(mutex_);
  // In time order, which incarnation_at searches: a boundary may be set ahead of the clock.
  starts_.insert(std::upper_bound(starts_.begin(), starts_.end(), at), at);
}

void Ledger::killed() {
  std::lock_guard lock(mutex_);
  ++kills_;
}

int Ledger::incarnation_at(std::chrono::system_clock::time_point at) const {
  std::lock_guard lock(mutex_);
  auto after = std::upper_bound(starts_.begin(), starts_.end(), at);
  return static_cast<int>(after - starts_.begin()) - 1;
}

std::map<std::string, WebhookRecord> Ledger::webhooks() const {
  std::lock_guard lock(mutex_);
  return webhooks_;
}

std::map<std::string, CallbackRecord> Ledger::callbacks() const {
  std::lock_guard lock(mutex_);
  return callbacks_;
}

int Ledger::kills() const {
  std::lock_guard lock(mutex_);
  return kills_;
}

}  // namespace ttb::crash
