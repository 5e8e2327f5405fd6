#pragma once
// The JSON forms Teamtailor renders for us (docs/protocols/teamtailor.md, "Activation form", "Test
// picker (GET /config)"): the activation form, the test picker of GET /config, the error form, and
// the error list of activation/validate.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ttb::teamtailor {

// The id of the select field in the /config form; its value arrives as webhook-data.test.
inline constexpr std::string_view kTestFieldId = "test";
inline constexpr std::string_view kValidateEndpoint = "activation/validate";

// GET /activation: an infobox (`help_html` is trusted HTML from the operator, not escaped) and
// the required password field `externalTriggerToken`; Teamtailor validates it at
// activation/validate.
std::string activation_form(std::string_view help_html =
                                "Enter the External Trigger Token your ttbridge operator issued "
                                "for your company.");

// One test in the picker, with what the vendor says about it (docs/plugin-abi.md, list_tests).
struct TestOption {
  std::string id;           // the vendor's test id
  std::string label;        // its name
  std::string description;  // "" when the vendor gives none
  std::optional<int> duration_minutes;
};

// The tests one provider of a tenant offers, as the /config form shows them.
struct ProviderTests {
  std::string provider;  // the provider's name in the tenant: the prefix of option ids
  std::string label;     // the optgroup label; the provider name when empty
  std::vector<TestOption> tests;
  bool stale = false;   // the vendor could not be asked: `tests` is the last good list
  std::string warning;  // why, for the infobox (plain text; escaped into the HTML)
};

// GET /config: a required select `test` with one optgroup per provider that has tests, option ids
// `<provider>:<vendor test id>`, an infobox (icon warning) per stale provider; when no provider
// has a test, a single `error` field instead. Teamtailor's options carry only a label, so a
// test's duration goes into its label ("Java (senior) (90 min)") and the descriptions into one
// infobox (icon info) below the select, test by test, escaped.
std::string config_form(const std::vector<ProviderTests>& providers);

// {"config":{"fields":[{"type":"error","message":...}]}}: how /config reports failures (with 200).
std::string error_form(std::string_view message);

// {"errors":[...]}: the body of a failed activation/validate (with a status >= 400).
std::string validation_errors(const std::vector<std::string>& messages);

// `provider:vendor-test-id` and back; the split is at the first ':' so vendor ids may hold ':'.
std::string test_option_id(std::string_view provider, std::string_view vendor_test_id);
bool split_test_option_id(std::string_view option_id, std::string& provider,
                          std::string& vendor_test_id);

}  // namespace ttb::teamtailor
