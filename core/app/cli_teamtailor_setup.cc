// ttbridge teamtailor setup [--apply --partner-id ID]: what the partner registration at
// Teamtailor must say for this ttbridged (docs/protocols/teamtailor.md, "Routes Teamtailor
// calls", "Partner API for operators"). With --apply it writes the base URL and the dynamic
// activation config to the partner resource (PUT {api_url}/partners/{ID}), the one part of the
// registration Teamtailor's API lets a partner write.

#include <iostream>

#include <fmt/format.h>

#include "app/cli_commands.h"
#include "app/cli_output.h"
#include "app/cli_teamtailor.h"
#include "net/http_client.h"
#include "teamtailor/forms.h"
#include "teamtailor/partner_api.h"

namespace ttb::app::cli {
namespace {

struct Options {
  TeamtailorOptions teamtailor;
  bool apply = false;
  std::string partner_id;
};

nlohmann::json setup_facts(const config::Config& config,
                           const std::vector<config::TeamtailorConnection>& connections) {
  const std::string& base = config.main.server.public_url;
  nlohmann::json apis = nlohmann::json::array();
  for (const auto& c : connections)
    apis.push_back({{"connection", c.name}, {"api_url", c.api_url}});
  return {{"base_url", base},
          {"activation", "dynamic"},
          {"activation_url", fmt::format("{}/activation", base)},
          {"validate_endpoint", std::string(teamtailor::kValidateEndpoint)},
          {"validate_url", fmt::format("{}/{}", base, teamtailor::kValidateEndpoint)},
          {"config_url", fmt::format("{}/config", base)},
          {"webhook_url", fmt::format("{}/webhook", base)},
          {"connections", std::move(apis)}};
}

void print_setup(const nlohmann::json& facts) {
  const auto text = [&](const char* key) { return facts[key].get<std::string>(); };
  std::cout << "Teamtailor partner registration (Integration's Hub, \"Create a new partner\"):\n";
  print_fields(
      std::cout,
      {{"Partner Base URL", text("base_url")},
       {"Activation", fmt::format("dynamic: turn on \"dynamic-activation-config\" (or leave the "
                                  "activation config as {{}}); Teamtailor then asks GET {} for "
                                  "the form",
                                  text("activation_url"))},
       {"Validate endpoint", fmt::format("{} (the form names it; Teamtailor calls GET {})",
                                         text("validate_endpoint"), text("validate_url"))},
       {"Test picker",
        fmt::format("{} (Teamtailor derives it from the base URL)", text("config_url"))},
       {"Webhook URL",
        fmt::format("{} (Teamtailor derives it from the base URL)", text("webhook_url"))}});
  std::cout << "Then copy the partner's API key and Webhook Secret key into the connection's "
               "api_key and webhook_secret:\n";
  for (const auto& c : facts["connections"]) {
    std::cout << "  " << c["connection"].get<std::string>() << ": "
              << c["api_url"].get<std::string>() << '\n';
  }
}

int setup(const Options& options) {
  auto config = load_config(options.teamtailor.common.config_path, std::cerr);
  if (!config) return kExitProblem;
  auto connections = chosen_connections(*config, options.teamtailor.connection, std::cerr);
  if (!connections) return kExitProblem;
  const nlohmann::json facts = setup_facts(*config, *connections);
  if (options.teamtailor.common.json && !options.apply) {
    print_json(std::cout, facts);
  } else if (!options.teamtailor.common.json) {
    print_setup(facts);
  }
  if (!options.apply) return kExitOk;

  if (connections->size() != 1) {
    std::cerr << "error: --apply writes one partner registration; name its connection with "
                 "--connection (a partner has its own ID on each Teamtailor stack)\n";
    return kExitUsage;
  }
  const config::TeamtailorConnection& c = connections->front();
  teamtailor::PartnerApi api(net::make_http_client(), c.api_url, c.api_key.reveal());
  const teamtailor::ApiAnswer answer =
      api.update_partner(options.partner_id, config->main.server.public_url);
  if (options.teamtailor.common.json) {
    nlohmann::json out = facts;
    out["applied"] = {{"connection", c.name},
                      {"partner_id", options.partner_id},
                      {"ok", answer.ok()},
                      {"http_status", answer.http_status},
                      {"error", answer.error}};
    print_json(std::cout, out);
  }
  if (!answer.ok()) {
    return fail(std::cerr,
                fmt::format("Teamtailor did not take the partner configuration: {}", answer.error),
                "check --partner-id (the Integration ID in the Integration's Hub) and that "
                "`ttbridge teamtailor check` accepts the key");
  }
  if (!options.teamtailor.common.json) {
    std::cout << fmt::format(
        "applied: partner {} on connection {} now has base-url {} and a dynamic activation "
        "config\n",
        options.partner_id, c.name, config->main.server.public_url);
  }
  return kExitOk;
}

}  // namespace

void add_teamtailor_setup(Command teamtailor, Action& action) {
  auto options = std::make_shared<Options>();
  Command command = add_command(
      teamtailor, "setup",
      "print the partner configuration Teamtailor needs; with --apply, write it to Teamtailor",
      action, [options] { return [options] { return setup(*options); }; });
  Option apply = command.flag(
      "--apply", options->apply,
      "also write the base URL and the dynamic activation config to the partner at Teamtailor "
      "(PUT /partners/{ID}); needs --partner-id and one --connection when there are several");
  Option partner_id =
      command.option("--partner-id", options->partner_id,
                     "the partner's Integration ID from Teamtailor's Integration's Hub");
  partner_id.needs(apply);
  apply.needs(partner_id);
  add_teamtailor_options(command, options->teamtailor);
}

}  // namespace ttb::app::cli
