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

// Bounds on what the infobox of descriptions holds, so that one vendor's long texts cannot make
// the pop-up unusable.
constexpr std::size_t kMaxDescriptionBytes = 300;
constexpr std::size_t kMaxDescribedTests = 50;

// A whole test duration, in the label: "Java (90 min)", "Onboarding (2 h 30 min)"; minutes up to
// two hours, as recruiters read test lengths.
// Built by appending: GCC 12 at -O3 flags `"literal" + std::string` with a false -Wrestrict
// (docs/toolchain-gcc12-o3.md).
std::string duration_text(int minutes) {
  std::string text;
  if (minutes < 120) {
    text = std::to_string(minutes);
    text += " min";
    return text;
  }
  text = std::to_string(minutes / 60);
  text += " h";
  if (minutes % 60 != 0) {
    text += ' ';
    text += std::to_string(minutes % 60);
    text += " min";
  }
  return text;
}

std::string option_label(const TestOption& test) {
  std::string label = test.label.empty() ? test.id : test.label;
  if (test.duration_minutes && *test.duration_minutes > 0) {
    label += " (";
    label += duration_text(*test.duration_minutes);
    label += ')';
  }
  return label;
}

// At most `max` bytes, cut at a UTF-8 character boundary, with "…" when cut.
std::string shortened(std::string_view text, std::size_t max) {
  if (text.size() <= max) return std::string(text);
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end)) + "\u2026";
}

// "<p><strong>Codility</strong></p><ul><li><strong>Java (90 min)</strong>: 90-minute …</li></ul>"
// for every provider with a described test; "" when no test has a description.
std::string descriptions_html(const std::vector<ProviderTests>& providers) {
  std::string html;
  std::size_t described = 0;
  for (const auto& provider : providers) {
    std::string items;
    for (const auto& test : provider.tests) {
      if (test.description.empty() || test.description == test.label) continue;
      if (described == kMaxDescribedTests) break;
      ++described;
      items += "<li><strong>" + escape_html(option_label(test)) +
               "</strong>: " + escape_html(shortened(test.description, kMaxDescriptionBytes)) +
               "</li>";
    }
    if (items.empty()) continue;
    const std::string& label = provider.label.empty() ? provider.provider : provider.label;
    html += "<p><strong>" + escape_html(label) + "</strong></p><ul>" + items + "</ul>";
  }
  return html;
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
      // Shown above the select even when the provider offers no test, so that a recruiter
      // missing its tests reads why (with no select at all, the error form below says it).
      fields.push_back({{"type", "infobox"}, {"icon", "warning"}, {"content", escape_html(text)}});
    }
    if (provider.tests.empty()) continue;
    Json options = Json::array();
    for (const auto& test : provider.tests) {
      options.push_back(
          {{"id", test_option_id(provider.provider, test.id)}, {"label", option_label(test)}});
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
  if (std::string html = descriptions_html(providers); !html.empty()) {
    fields.push_back({{"type", "infobox"}, {"icon", "info"}, {"content", html}});
  }
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
