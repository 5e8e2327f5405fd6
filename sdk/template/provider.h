#pragma once
// The example provider: the ABI calls, each turned into a vendor request (example_api.h) and the
// vendor's answer into a payload (mapping.h). Every path completes its call exactly once; a
// failure is thrown as ttb::sdk::Error, which the SDK turns into the call's failure.

#include <string_view>

#include "config.h"
#include "example_api.h"
#include "ttbridge/plugin.hpp"

namespace ttb::example {

class ExampleProvider final : public sdk::Provider {
 public:
  // The descriptor's config schema and sample config (config.h); ttb::sdk::Provider explains.
  static const char* config_schema() noexcept { return ttb::example::config_schema(); }
  static const char* sample_config() noexcept { return ttb::example::sample_config(); }

  // Throws sdk::Error(TTB_STATUS_INVALID, ...) for a bad config (see config.h).
  ExampleProvider(sdk::Host host, std::string_view config_json);

  void list_tests(sdk::Call call) override;
  void create_order(std::string_view request_json, sdk::Call call) override;
  void handle_callback(const sdk::CallbackRequest& request, sdk::Call call) override;
  void fetch_order(std::string_view order_json, sdk::Call call) override;

 private:
  ExampleApi api_;
};

}  // namespace ttb::example
