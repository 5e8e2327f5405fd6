// ttbridge teamtailor check: does Teamtailor accept the API key of each connection? One cheap
// authenticated read per connection (GET {api_url}/partner-results?page[size]=1); the key is
// never printed.

#include <iostream>

#include "app/cli_commands.h"
#include "app/cli_output.h"
#include "app/cli_teamtailor.h"
#include "net/http_client.h"
#include "teamtailor/partner_api.h"

namespace ttb::app::cli {
namespace {

int check(const TeamtailorOptions& options) {
  auto config = load_config(options.common.config_path, std::cerr);
  if (!config) return kExitProblem;
  auto connections = chosen_connections(*config, options.connection, std::cerr);
  if (!connections) return kExitProblem;

  std::shared_ptr<net::HttpClient> http = net::make_http_client();
  Table table({"CONNECTION", "API URL", "API KEY", "DETAIL"});
  nlohmann::json rows = nlohmann::json::array();
  bool all_accepted = true;
  for (const config::TeamtailorConnection& c : *connections) {
    teamtailor::PartnerApi api(http, c.api_url, c.api_key.reveal());
    const teamtailor::ApiAnswer answer = api.check_key();
    const std::string verdict = answer.ok()            ? "accepted"
                                : answer.key_refused() ? "refused"
                                                       : "unknown";
    all_accepted = all_accepted && answer.ok();
    table.add({c.name, c.api_url, verdict, answer.error});
    rows.push_back({{"connection", c.name},
                    {"api_url", c.api_url},
                    {"api_key", verdict},
                    {"http_status", answer.http_status},
                    {"error", answer.error}});
  }
  if (options.common.json) {
    print_json(std::cout, {{"connections", std::move(rows)}});
  } else {
    table.print(std::cout);
  }
  if (!all_accepted) {
    return fail(std::cerr, "Teamtailor did not accept every API key",
                "\"refused\": copy the API key again from Teamtailor's Integration's Hub (the "
                "partner's \"Show details/keys\") into api_key; \"unknown\": check api_url and "
                "the network, then run the check again");
  }
  return kExitOk;
}

}  // namespace

void add_teamtailor_check(Command teamtailor, Action& action) {
  auto options = std::make_shared<TeamtailorOptions>();
  Command command = add_command(
      teamtailor, "check",
      "ask Teamtailor whether it accepts each connection's API key (one GET each); exit 0/1",
      action, [options] { return [options] { return check(*options); }; });
  add_teamtailor_options(command, *options);
}

}  // namespace ttb::app::cli
