// ttbridge teamtailor activations: the companies that activated the partner at Teamtailor
// (GET {api_url}/partner-activations, docs/protocols/teamtailor.md, "Partner API for operators")
// beside the configured tenants of each connection. Companies are matched by company uuid, the
// one fact both sides hold: a tenant without company_uuid cannot be matched and is listed as such.
// The activations' provider keys (JWE) are not decrypted or shown.

#include <iostream>
#include <map>
#include <set>

#include <fmt/format.h>

#include "app/cli_commands.h"
#include "app/cli_output.h"
#include "app/cli_teamtailor.h"
#include "net/http_client.h"
#include "teamtailor/partner_api.h"

namespace ttb::app::cli {
namespace {

const char* const kMatched = "activated, configured";
const char* const kNoTenant = "activated at Teamtailor, no tenant pins this company";
const char* const kNotActivated = "configured, not activated at Teamtailor";
const char* const kUnpinned = "configured without company_uuid, cannot be matched";

int compare(const TeamtailorOptions& options) {
  auto config = load_config(options.common.config_path, std::cerr);
  if (!config) return kExitProblem;
  auto connections = chosen_connections(*config, options.connection, std::cerr);
  if (!connections) return kExitProblem;

  std::shared_ptr<net::HttpClient> http = net::make_http_client();
  Table table({"CONNECTION", "COMPANY UUID", "COMPANY", "TENANT", "STATE"});
  nlohmann::json rows = nlohmann::json::array();
  const auto add = [&](const std::string& connection, const std::string& uuid,
                       const std::string& company, const std::string& tenant, const char* state) {
    table.add({connection, uuid, company, tenant, state});
    rows.push_back({{"connection", connection},
                    {"company_uuid", uuid},
                    {"company_name", company},
                    {"tenant", tenant},
                    {"state", state}});
  };
  bool differences = false;
  std::vector<std::string> failures;
  for (const config::TeamtailorConnection& c : *connections) {
    teamtailor::PartnerApi api(http, c.api_url, c.api_key.reveal());
    const teamtailor::ActivationList listed = api.activations();
    if (!listed.answer.ok()) {
      failures.push_back(fmt::format("connection {}: {}", c.name, listed.answer.error));
      continue;
    }
    std::map<std::string, const config::TenantSettings*> pinned;  // company uuid -> tenant
    for (const config::TenantSettings& tenant : config->tenants) {
      if (tenant.connection_name() != c.name) continue;
      if (tenant.company_uuid) {
        pinned.emplace(*tenant.company_uuid, &tenant);
      } else {
        add(c.name, "", "", tenant.id, kUnpinned);
      }
    }
    std::set<std::string> activated;
    for (const teamtailor::Activation& a : listed.activations) {
      activated.insert(a.company_uuid);
      auto it = pinned.find(a.company_uuid);
      if (it != pinned.end()) {
        add(c.name, a.company_uuid, a.company_name, it->second->id, kMatched);
      } else {
        add(c.name, a.company_uuid, a.company_name, "", kNoTenant);
        differences = true;
      }
    }
    for (const auto& [uuid, tenant] : pinned) {
      if (activated.count(uuid) != 0) continue;
      add(c.name, uuid, "", tenant->id, kNotActivated);
      differences = true;
    }
  }

  if (options.common.json) {
    print_json(std::cout, {{"activations", std::move(rows)}});
  } else if (!table.empty()) {
    table.print(std::cout);
  }
  for (const std::string& failure : failures) {
    fail(std::cerr, failure,
         "run `ttbridge teamtailor check` to see whether Teamtailor accepts the API key");
  }
  if (!failures.empty()) return kExitProblem;
  if (differences) {
    return fail(std::cerr, "the activations at Teamtailor and the tenants differ (see above)",
                "add a tenant for a newly activated company (ttbridge tenants new), set "
                "company_uuid where it is missing, or remove tenants whose company left");
  }
  return kExitOk;
}

}  // namespace

void add_teamtailor_activations(Command teamtailor, Action& action) {
  auto options = std::make_shared<TeamtailorOptions>();
  Command command =
      add_command(teamtailor, "activations",
                  "compare the companies activated at Teamtailor with the tenants; exit 1 on a "
                  "difference",
                  action, [options] { return [options] { return compare(*options); }; });
  add_teamtailor_options(command, *options);
}

}  // namespace ttb::app::cli
