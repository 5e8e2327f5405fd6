#pragma once
// The Checkr provider's settings (the `config` object of a tenant's provider entry), parsed and
// checked once when the instance is created. Errors name the setting, never its value.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ttb::checkr {

// Whether and how a numeric score is derived. Checkr has none of its own, so the default is no
// score at all; a number is only shown when the operator asks for one.
enum class ScoreMode {
  none,        // score: null
  binary,      // clear 100, consider 0
  assessment,  // eligible 100, review 50, escalated 0 (accounts with Checkr Assess)
};

struct WorkLocation {
  std::string country = "US";  // ISO 3166-1 alpha-2
  std::string state;           // required for US: state law decides what may be reported
  std::string city;
};

struct Config {
  std::string api_key;
  // Key of the X-Checkr-Signature HMAC: the API key for a direct account, the partner app's
  // client secret for OAuth partner integrations. Defaults to api_key.
  std::string webhook_key;
  std::string base_url = "https://api.checkr.com/v1";  // no trailing '/'
  std::optional<WorkLocation> work_location;
  std::string node;               // the node's custom_id, for accounts with a hierarchy
  std::vector<std::string> tags;  // added to every invitation
  bool job_tags = false;          // also tag it with the job's title and the candidate's stage
  ScoreMode score = ScoreMode::none;
  std::string report_url_template;  // e.g. "https://dashboard.checkr.com/reports/{report_id}"
};

// Throws ttb::sdk::Error(TTB_STATUS_INVALID, ...) naming the bad setting, never its value; the
// SDK turns it into create()'s error message.
Config parse_config(std::string_view json);

// ABI 1.1 descriptor members: the JSON text of the config schema (every setting above, with
// its type, default and meaning) and of a sample config that needs no network. Static strings.
const char* config_schema() noexcept;
const char* sample_config() noexcept;

}  // namespace ttb::checkr
