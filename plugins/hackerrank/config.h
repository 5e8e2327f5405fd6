#pragma once
// The provider's `config` object from the tenant file, parsed and checked once at create().
// Errors name the offending setting but never echo its value (the API key is a secret).

#include <string>
#include <string_view>

#include "cutoff.h"

namespace ttb::hackerrank {

inline constexpr const char* kDefaultBaseUrl = "https://www.hackerrank.com/x/api/v3";

struct Config {
  std::string api_key;                     // required; sent as `Authorization: Bearer <key>`
  std::string base_url = kDefaultBaseUrl;  // no trailing '/'; tests point it at the fake
  bool send_email = true;                  // let HackerRank e-mail the invitation to the candidate
  // What the test's cutoff_score is compared with for the card's pass/fail grade
  // (docs/protocols/hackerrank.md, "Cutoff").
  CutoffUnit cutoff_unit = CutoffUnit::points;
};

// Throws sdk::Error(TTB_STATUS_INVALID, "...") naming the bad setting. Unknown keys are
// ignored, so a newer tenant file still loads in an older plugin.
Config parse_config(std::string_view config_json);

// ABI 1.1 descriptor members: the JSON text of the config schema (every setting above, with
// its type, default and meaning) and of a sample config that needs no network. Static strings.
const char* config_schema() noexcept;
const char* sample_config() noexcept;

}  // namespace ttb::hackerrank
