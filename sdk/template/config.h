#pragma once
// The example provider's settings: the `config` object of a tenant's provider entry, parsed and
// checked once when the instance is created. Errors name the setting, never its value.

#include <string>
#include <string_view>

namespace ttb::example {

struct Config {
  std::string api_key;                                  // required; sent as a Bearer token
  std::string base_url = "https://api.example.com/v1";  // no trailing '/'
  std::string webhook_token;  // the shared secret the vendor's callbacks carry; "" refuses all
};

// Throws ttb::sdk::Error(TTB_STATUS_INVALID, ...) naming the bad setting; the SDK turns it into
// create()'s error message.
Config parse_config(std::string_view config_json);

// ABI 1.1 descriptor members: the JSON text of the config schema (every setting above, with
// its type, default and meaning) and of a sample config that needs no network. Static strings.
const char* config_schema() noexcept;
const char* sample_config() noexcept;

}  // namespace ttb::example
