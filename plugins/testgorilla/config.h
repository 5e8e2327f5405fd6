#pragma once
// The provider's `config` object from the tenant file, parsed and checked once at create().
// Errors name the offending setting but never echo its value (token and password are secrets).

#include <string>
#include <string_view>

namespace ttb::testgorilla {

inline constexpr const char* kDefaultBaseUrl = "https://app.testgorilla.com/api";
// TestGorilla's API exposes no report link; this is the recruiter's page of one candidate in
// TestGorilla's app (docs/plugins/testgorilla.md lists it as an assumption). Placeholders:
// {assessment_id}, {candidature_id}, {test_taker_id}.
inline constexpr const char* kDefaultReportUrlTemplate =
    "https://app.testgorilla.com/customer/assessments/{assessment_id}/candidates/{candidature_id}";

struct Config {
  // Either a token (`Authorization: Token <api_token>`) or a user's credentials, which the
  // plugin exchanges for a token at POST /profiles/login/ and again after a 401.
  std::string api_token;
  std::string username;
  std::string password;
  std::string base_url = kDefaultBaseUrl;  // no trailing '/'; tests point it at the fake
  bool send_email = true;  // false: invite with ?no_email=true (the recruiter sends the link)
  std::string report_url_template = kDefaultReportUrlTemplate;  // "" for no report link
};

// Throws sdk::Error(TTB_STATUS_INVALID, "...") naming the bad setting. Unknown keys are
// ignored, so a newer tenant file still loads in an older plugin.
Config parse_config(std::string_view config_json);

// ABI 1.1 descriptor members: the JSON text of the config schema (every setting above, with
// its type, default and meaning) and of a sample config that needs no network. Static strings.
const char* config_schema() noexcept;
const char* sample_config() noexcept;

}  // namespace ttb::testgorilla
