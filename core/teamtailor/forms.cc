#include "teamtailor/forms.h"

#include <nlohmann/json.hpp>

namespace ttb::teamtailor {

namespace {

using Json = nlohmann::json;

// Vendor-supplied text must never turn into markup in Teamtailor's UI, and never make dump()
// throw: invalid UTF-8 is replaced rather than rejected.
std::string dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

Json error_field(std::string_view message) {
  return Json{{"type", "error"}, {"message", std::string(message)}};
}

}  // namespace

std::string activation_form(std::string_view help_html) {
  Json fields = Json::array();
  fields.push_back({{"type", "infobox"}, {"icon", "info"}, {"content", std::string(help_html)}});
  fields.push_back({{"id", "externalTriggerToken"},
                    {"type", "password"},
                    {"label", "External Trigger Token"},
                    {"required", true},
                    {"description", "The token that names your company in ttbridge"}});
  return dump(
      Json{{"config", {{"fields", fields}, {"validateEndpoint", std::string(kValidateEndpoint)}}}});
}

std::string config_form(const std::vector<ProviderTests>& providers) {
  Json fields = Json::array();
  Json optgroups = Json::array();
  std::vector<std::string> problems;
  for (const auto& provider : providers) {
    const std::string& label = provider.label.empty() ? provider.provider : provider.label;
    if (provider.stale) {
      std::string text = provider.tests.empty()
                             ? "The tests of " + label + " cannot be listed right now."
                             : "The tests of " + label + " may be out of date.";
      if (!provider.warning.empty()) text += " " + provider.warning;
      problems.push_back(text);
      if (!provider.tests.empty()) {
        fields.push_back(
            {{"type", "infobox"}, {"icon", "warning"}, {"content", escape_html(text)}});
      }
    }
    if (provider.tests.empty()) continue;
    Json options = Json::array();
    for (const auto& [id, test_label] : provider.tests) {
      options.push_back({{"id", test_option_id(provider.provider, id)}, {"label", test_label}});
    }
    optgroups.push_back({{"label", label}, {"options", options}});
  }

  if (optgroups.empty()) {
    std::string message = "No tests are available for this company.";
    for (const auto& problem : problems) message += " " + problem;
    return error_form(message);
  }
  fields.push_back({{"id", std::string(kTestFieldId)},
                    {"label", "Test"},
                    {"placeholder", "Select test"},
                    {"type", "select"},
                    {"required", true},
                    {"optgroups", optgroups}});
  return dump(Json{{"config", {{"fields", fields}}}});
}

std::string error_form(std::string_view message) {
  return dump(Json{{"config", {{"fields", Json::array({error_field(message)})}}}});
}

std::string validation_errors(const std::vector<std::string>& messages) {
  return dump(Json{{"errors", messages}});
}

std::string test_option_id(std::string_view provider, std::string_view vendor_test_id) {
  std::string id;
  id.reserve(provider.size() + 1 + vendor_test_id.size());
  id.append(provider).append(":").append(vendor_test_id);
  return id;
}

bool split_test_option_id(std::string_view option_id, std::string& provider,
                          std::string& vendor_test_id) {
  auto colon = option_id.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == option_id.size()) return false;
  provider = std::string(option_id.substr(0, colon));
  vendor_test_id = std::string(option_id.substr(colon + 1));
  return true;
}

}  // namespace ttb::teamtailor
