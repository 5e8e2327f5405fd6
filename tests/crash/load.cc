#include "load.h"

#include <random>
#include <thread>

#include "fakes/teamtailor/webhook_sender.h"
#include "net/http_client.h"

namespace ttb::crash {

int deliver_callback(World& world, const std::string& base_url, const CallbackRecord& record) {
  static const fakes::checkr::WebhookSender sender(world.checkr.api_key());
  world.ledger.callback_sending(record);
  int status = sender.deliver(base_url + world.callback_path, record.event).status;
  world.ledger.callback_answered(record.order_id, status);
  return status;
}

void redeliver_unacked_callbacks(World& world, const std::string& base_url) {
  for (int attempt = 0; attempt < 50 && !world.ledger.unacked_callbacks().empty(); ++attempt) {
    for (const auto& record : world.ledger.unacked_callbacks()) {
      deliver_callback(world, base_url, record);
    }
    if (!world.ledger.unacked_callbacks().empty()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

Load::Load(World& world, std::string base_url, std::uint64_t seed)
    : Load(world, std::vector<std::string>{std::move(base_url)}, seed) {}

Load::Load(World& world, std::vector<std::string> base_urls, std::uint64_t seed)
    : world_(world),
      base_urls_(std::move(base_urls)),
      senders_ready_(world_.settings.webhook_senders) {
  for (int i = 0; i < world_.settings.webhook_senders; ++i) {
    threads_.emplace_back([this, seed, i] { send_webhooks(seed * 1000 + i); });
  }
  threads_.emplace_back([this, seed] { play_vendor(seed * 1000 + 999); });
  // The caller's random moment counts from here, so the load must be running by then: making the
  // HTTP clients takes a few milliseconds, but over a second under ThreadSanitizer, where rounds
  // of 150 to 900 ms then sent no webhook at all.
  senders_ready_.wait();
}

Load::~Load() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  for (auto& t : threads_) t.join();
}

bool Load::wait_or_stop(std::chrono::steady_clock::time_point until) {
  std::unique_lock lock(mutex_);
  return stop_cv_.wait_until(lock, until, [this] { return stop_; });
}

void Load::send_webhooks(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<fakes::WebhookSender> senders;
  for (const auto& url : base_urls_) {
    senders.emplace_back(net::make_http_client(), url, world_.webhook_secret,
                         world_.partner_api_key);
  }
  senders_ready_.count_down();
  const auto interval = std::chrono::microseconds(1'000'000LL * world_.settings.webhook_senders /
                                                  world_.settings.webhooks_per_second);
  auto next = std::chrono::steady_clock::now();
  while (!wait_or_stop(next)) {
    next += interval;
    fakes::WebhookParams params;
    if (rng() % 4 == 0) {
      if (auto again = world_.ledger.unanswered_webhook(rng)) params = *again;
    }
    if (params.partner_result_id.empty()) {
      params.partner_result_id = fakes::random_uuid();
      params.event_id = fakes::random_uuid();
      params.test = world_.test_option;
      params.email = "cand-" + params.partner_result_id.substr(0, 8) + "@example.org";
      params.candidate_id = static_cast<std::int64_t>(rng() % 1'000'000'000);
    }
    world_.ledger.webhook_sending(params);
    auto sent = senders[rng() % senders.size()].send(world_.activation_token, params);
    world_.ledger.webhook_answered(params.partner_result_id, sent.response.status);
  }
}

void Load::play_vendor(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto next = std::chrono::steady_clock::now();
  while (!wait_or_stop(next)) {
    next += std::chrono::milliseconds(20);
    // Checkr redelivers what was not acknowledged.
    for (const auto& record : world_.ledger.unacked_callbacks()) {
      deliver_callback(world_, any_url(rng), record);
      if (wait_or_stop(std::chrono::steady_clock::now())) return;
    }
    // Candidates finish the checks of some invited orders.
    for (const auto& [order, records] : world_.vendor.refresh()) {
      if (order.empty() || records.invitations.size() != 1 || world_.decided->count(order))
        continue;
      world_.decided->insert(order);
      if (static_cast<int>(rng() % 100) >= world_.settings.complete_percent) continue;
      CallbackRecord record;
      record.order_id = order;
      record.invitation_id = records.invitations.front();
      record.report_id = world_.checkr.complete_invitation(record.invitation_id);
      if (record.report_id.empty()) continue;
      fakes::checkr::ReportChange done;
      done.status = "complete";
      done.result = "clear";
      world_.checkr.update_report(record.report_id, done);
      auto event = world_.checkr.report_event("report.completed", record.report_id);
      if (!event) continue;
      record.event = *event;
      deliver_callback(world_, any_url(rng), record);
      if (wait_or_stop(std::chrono::steady_clock::now())) return;
    }
  }
}

}  // namespace ttb::crash
