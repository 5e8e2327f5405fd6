#pragma once
// Adapts the job runner's ResultPublisher port to Teamtailor's partner-results client: the
// order's result view becomes a partner-result update, and the client's outcome a job outcome.

#include "jobs/ports.h"
#include "teamtailor/partner_results_client.h"

namespace ttb::app {

class TeamtailorPublisher final : public jobs::ResultPublisher {
 public:
  explicit TeamtailorPublisher(teamtailor::PartnerResultsClient client)
      : client_(std::move(client)) {}

  jobs::PublishOutcome publish(const store::OrderRecord& order,
                               const orders::ResultView& result) override;

  // Exposed for tests: the update sent for a view.
  static teamtailor::PartnerResultUpdate to_update(const orders::ResultView& result);

 private:
  teamtailor::PartnerResultsClient client_;
};

}  // namespace ttb::app
