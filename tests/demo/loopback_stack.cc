#include "loopback_stack.h"

#include <cstdio>
#include <ctime>

namespace ttb::demo {
namespace {

testing::EngineOptions engine_options(const std::string& checkr_url,
                                      const std::string& hackerrank_url,
                                      const std::string& codility_url) {
  const std::string providers =
      "  - name: checkr\n"
      "    plugin: checkr\n"
      "    config:\n"
      "      api_key: \"${env:DEMO_CHECKR_KEY}\"\n"
      "      base_url: \"" +
      checkr_url +
      "\"\n"
      "      work_location: { country: US, state: CA, city: San Francisco }\n"
      "      report_url_template: \"https://dashboard.checkr.com/reports/{report_id}\"\n"
      "  - name: hackerrank\n"
      "    plugin: hackerrank\n"
      "    config:\n"
      "      api_key: \"${env:DEMO_HACKERRANK_KEY}\"\n"
      "      base_url: \"" +
      hackerrank_url +
      "\"\n"
      "  - name: codility\n"
      "    plugin: codility\n"
      "    config:\n"
      "      api_token: \"${env:DEMO_CODILITY_TOKEN}\"\n"
      "      callback_secret: \"${env:DEMO_CODILITY_CALLBACK_SECRET}\"\n"
      "      base_url: \"" +
      codility_url + "\"\n";
  testing::EngineOptions options;
  options.tenants.emplace_back(
      "acme.yaml",
      testing::tenant_yaml(LoopbackStack::kTenant, LoopbackStack::kActivationToken, providers));
  return options;
}

}  // namespace

LoopbackStack::LoopbackStack(const std::string& admin_token, const std::string& main_extra)
    : engine_([this, &admin_token, &main_extra] {
        auto options =
            engine_options(checkr_.base_url(), hackerrank_.base_url(), codility_.base_url());
        options.env = {{"DEMO_CHECKR_KEY", checkr_.api_key()},
                       {"DEMO_HACKERRANK_KEY", hackerrank_.api_key()},
                       {"DEMO_CODILITY_TOKEN", codility_.api_token()},
                       {"DEMO_CODILITY_CALLBACK_SECRET", "demo-codility-callback-secret"}};
        options.admin_token = admin_token;
        options.server_extra = main_extra;
        return options;
      }()) {}

bool LoopbackStack::start() {
  return engine_.start();
}

std::string LoopbackStack::callback_url(const std::string& provider) const {
  return engine_.base_url() + "/callbacks/" + kTenant + "/" + provider;
}

std::vector<nlohmann::json> LoopbackStack::events(const std::string& event) {
  std::vector<nlohmann::json> out;
  for (const auto& line : engine_.daemon().events(event))
    out.push_back(nlohmann::json::parse(line));
  return out;
}

long long LoopbackStack::log_time_ms(const nlohmann::json& line) {
  std::tm tm{};
  int ms = 0;
  const std::string ts = line.value("ts", "");
  if (std::sscanf(ts.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) != 7) {
    return -1;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<long long>(::timegm(&tm)) * 1000 + ms;
}

}  // namespace ttb::demo
