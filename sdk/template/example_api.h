#pragma once
// The vendor's REST calls, one function each, sent through the host (a plugin never opens
// connections itself). A 2xx JSON answer goes to `on_json`; any other answer fails the call with
// the ABI status for it (thrown as ttb::sdk::Error, which the SDK turns into the failure).

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "config.h"
#include "ttbridge/plugin.hpp"

namespace ttb::example {

class ExampleApi {
 public:
  using OnJson = std::function<void(nlohmann::json, sdk::Call)>;

  ExampleApi(sdk::Host host, Config config) : host_(host), config_(std::move(config)) {}
  const Config& config() const { return config_; }

  // POST /invitations
  void create_invitation(const nlohmann::json& body, sdk::Call call, OnJson on_json) const;
  // GET /invitations/{id}
  void get_invitation(const std::string& id, sdk::Call call, OnJson on_json) const;

 private:
  void send(sdk::HttpRequest request, sdk::Call call, OnJson on_json) const;

  sdk::Host host_;
  Config config_;
};

// The JSON object of a 2xx answer. Throws ttb::sdk::Error otherwise: the status from
// ttb::sdk::status_for_http (with Retry-After for a 429), or VENDOR_UNAVAILABLE for a 2xx body
// that is not a JSON object.
nlohmann::json answer_body(const sdk::HttpResponse& response);

}  // namespace ttb::example
