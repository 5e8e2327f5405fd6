#include "app/teamtailor_publisher.h"

#include <nlohmann/json.hpp>

#include "config/settings.h"

namespace ttb::app {

teamtailor::PartnerResultUpdate TeamtailorPublisher::to_update(const orders::ResultView& result) {
  teamtailor::PartnerResultUpdate update;
  update.status = result.status;
  update.score = result.score;
  update.grade = result.grade;
  update.duration_s = result.duration_s;
  for (const auto& c : result.criteria) update.criteria.push_back({c.id, c.score});
  if (result.actions) {
    update.actions.emplace();
    for (const auto& a : *result.actions) update.actions->push_back({a.button_text, a.endpoint});
  }
  update.summary = result.summary;
  update.url = result.url;
  for (const auto& a : result.attachments) update.attachments.push_back({a.url, a.description});
  if (!result.details_json.empty()) {
    update.details = nlohmann::json::parse(result.details_json, nullptr, false);
    if (update.details.is_discarded()) update.details = nullptr;
  }
  return update;
}

const teamtailor::PartnerResultsClient& TeamtailorPublisher::client_for(
    const std::string& tenant) const {
  auto it = clients_.find(connection_of_(tenant));
  if (it == clients_.end()) it = clients_.find(config::kDefaultConnection);
  return it->second;
}

jobs::PublishOutcome TeamtailorPublisher::publish(const store::OrderRecord& order,
                                                  const orders::ResultView& result) {
  teamtailor::PushOutcome outcome =
      client_for(order.tenant)
          .put(order.id,
               to_update(report_links_ ? report_links_->card_view(order.tenant, order.id, result)
                                       : result));
  switch (outcome.kind) {
    case teamtailor::PushOutcome::ok:
      return jobs::PublishOutcome::ok();
    case teamtailor::PushOutcome::retryable: {
      std::optional<std::chrono::milliseconds> after;
      if (outcome.retry_after) after = *outcome.retry_after;
      std::string error =
          "Teamtailor " + std::to_string(outcome.http_status) + ": " + outcome.error;
      if (outcome.answered) return jobs::PublishOutcome::retry(std::move(error), after);
      return jobs::PublishOutcome::no_answer(std::move(error), after);
    }
    case teamtailor::PushOutcome::rejected:
      break;
  }
  return jobs::PublishOutcome::reject("Teamtailor " + std::to_string(outcome.http_status) + ": " +
                                      outcome.error);
}

}  // namespace ttb::app
