#pragma once
// Adapts the job runner's ResultPublisher port to Teamtailor's partner-results client: the
// order's result view becomes a partner-result update, and the client's outcome a job outcome.
// Each order goes to the Teamtailor connection of its tenant, with that connection's API key.

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "http/report_links.h"
#include "jobs/ports.h"
#include "teamtailor/partner_results_client.h"

namespace ttb::app {

class TeamtailorPublisher final : public jobs::ResultPublisher {
 public:
  // The connection a tenant is on now ("" or unknown: the default connection).
  using ConnectionOf = std::function<std::string(const std::string& tenant)>;

  // `clients` holds one client per connection name, the default connection's under
  // config::kDefaultConnection.
  // `report_links` (may be null: the vendors' links go out as they are) turns the card's report
  // and attachment links into ttbridged's stable /reports/{token} links.
  TeamtailorPublisher(std::map<std::string, teamtailor::PartnerResultsClient> clients,
                      ConnectionOf connection_of,
                      std::shared_ptr<const http::ReportLinks> report_links = nullptr)
      : clients_(std::move(clients)),
        connection_of_(std::move(connection_of)),
        report_links_(std::move(report_links)) {}

  jobs::PublishOutcome publish(const store::OrderRecord& order,
                               const orders::ResultView& result) override;

  // Exposed for tests: the update sent for a view.
  static teamtailor::PartnerResultUpdate to_update(const orders::ResultView& result);

 private:
  const teamtailor::PartnerResultsClient& client_for(const std::string& tenant) const;

  std::map<std::string, teamtailor::PartnerResultsClient> clients_;
  ConnectionOf connection_of_;
  std::shared_ptr<const http::ReportLinks> report_links_;
};

}  // namespace ttb::app
