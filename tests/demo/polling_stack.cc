#include "polling_stack.h"

namespace ttb::demo {
namespace {

// Polls every second (the smallest poll_interval_s) and retries a failed call within a second:
// the engine's cadence in miniature. The reconciler stays at its default, so what the tests see
// is the poll chain the invite starts.
constexpr const char* kFastJobs =
    "jobs:\n"
    "  poll_interval_s: 1\n"
    "  retry: { max_attempts: 30, base_delay_ms: 100, max_delay_s: 1 }\n";

testing::EngineOptions engine_options(const std::string& testgorilla_url) {
  const std::string providers =
      "  - name: testgorilla\n"
      "    plugin: testgorilla\n"
      "    config:\n"
      "      api_token: \"${env:DEMO_TESTGORILLA_TOKEN}\"\n"
      "      base_url: \"" +
      testgorilla_url +
      "\"\n"
      "      send_email: false\n";
  testing::EngineOptions options;
  options.tenants.emplace_back(
      "acme.yaml",
      testing::tenant_yaml(PollingStack::kTenant, PollingStack::kActivationToken, providers));
  options.server_extra = kFastJobs;  // a top-level `jobs:` after `server:`'s lines
  return options;
}

}  // namespace

PollingStack::PollingStack()
    : engine_([this] {
        auto options = engine_options(testgorilla_.base_url());
        options.env = {{"DEMO_TESTGORILLA_TOKEN", testgorilla_.options().api_token}};
        return options;
      }()) {}

bool PollingStack::start() {
  return engine_.start();
}

nlohmann::json PollingStack::card(const std::string& result_id) {
  nlohmann::json current = engine_.teamtailor().current(result_id);
  return current.is_object() ? current : nlohmann::json::object();
}

nlohmann::json PollingStack::open_jobs(const std::string& order_id) {
  auto [out, code] =
      engine_.cli({"jobs", "list", "--order", order_id, "--config", "ttbridged.yaml", "--json"});
  nlohmann::json listed = nlohmann::json::parse(out, nullptr, false);
  if (code != 0 || !listed.is_object() || !listed["jobs"].is_array()) return nullptr;
  return listed["jobs"];
}

}  // namespace ttb::demo
