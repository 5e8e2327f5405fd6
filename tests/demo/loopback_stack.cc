#include "loopback_stack.h"

namespace ttb::demo {
namespace {

testing::EngineOptions engine_options(const std::string& checkr_url,
                                      const std::string& hackerrank_url) {
  const std::string providers =
      "  - name: checkr\n"
      "    plugin: checkr\n"
      "    config:\n"
      "      api_key: \"${env:DEMO_CHECKR_KEY}\"\n"
      "      base_url: \"" + checkr_url + "\"\n"
      "      work_location: { country: US, state: CA, city: San Francisco }\n"
      "      report_url_template: \"https://dashboard.checkr.com/reports/{report_id}\"\n"
      "  - name: hackerrank\n"
      "    plugin: hackerrank\n"
      "    config:\n"
      "      api_key: \"${env:DEMO_HACKERRANK_KEY}\"\n"
      "      base_url: \"" + hackerrank_url + "\"\n";
  testing::EngineOptions options;
  options.tenants.emplace_back(
      "acme.yaml", testing::tenant_yaml(LoopbackStack::kTenant, LoopbackStack::kActivationToken,
                                        providers));
  return options;
}

}  // namespace

LoopbackStack::LoopbackStack()
    : engine_([this] {
        auto options = engine_options(checkr_.base_url(), hackerrank_.base_url());
        options.env = {{"DEMO_CHECKR_KEY", checkr_.api_key()},
                       {"DEMO_HACKERRANK_KEY", hackerrank_.api_key()}};
        return options;
      }()) {}

bool LoopbackStack::start() { return engine_.start(); }

std::string LoopbackStack::callback_url(const std::string& provider) const {
  return engine_.base_url() + "/callbacks/" + kTenant + "/" + provider;
}

}  // namespace ttb::demo
