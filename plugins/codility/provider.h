#pragma once
// The Codility provider: wires the ABI calls to Codility's API (codility_api.h), the per-order
// callback token (callback_token.h) and the pure mappings (mapping.h). Every function runs on
// the instance's strand, so no locks; every path completes its call exactly once
// (ttb::sdk::Call guarantees it, and a ttb::sdk::Error thrown in a step fails the call with
// that status).
//
// cancel_order and run_action are not offered (the host reports them as unsupported): Codility's
// API documents no call that cancels an invitation or resends it. Sessions carry a `cancel_url`,
// but it is a recruiter-interface link, which Codility asks integrations to treat as a black box.

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "codility_api.h"
#include "config.h"
#include "mapping.h"
#include "ttbridge/plugin.hpp"

namespace ttb::codility {

class CodilityProvider final : public sdk::Provider {
 public:
  // The descriptor's config schema and sample config (config.h); ttb::sdk::Provider explains.
  static const char* config_schema() noexcept { return ttb::codility::config_schema(); }
  static const char* sample_config() noexcept { return ttb::codility::sample_config(); }

  // Throws sdk::Error(TTB_STATUS_INVALID, ...) naming the bad setting (see config.h).
  CodilityProvider(sdk::Host host, std::string_view config_json);

  void list_tests(sdk::Call call) override;
  // Safe to repeat: looks for a session this order already has before inviting.
  void create_order(std::string_view request_json, sdk::Call call) override;
  // Authenticates the per-order token in the path, then re-reads the session and trusts only
  // that.
  void handle_callback(const sdk::CallbackRequest& request, sdk::Call call) override;
  void fetch_order(std::string_view order_json, sdk::Call call) override;

 private:
  void fetch_tests_page(const std::string& url, int page,
                        const std::shared_ptr<nlohmann::json>& tests, sdk::Call call);
  // Scans the test's sessions for one already made for `order`; invites when there is none.
  void find_or_invite(const OrderRequest& order, const std::string& url, int page, sdk::Call call);
  void invite(const OrderRequest& order, sdk::Call call);

  CodilityApi api_;
  std::string callback_key_;
};

}  // namespace ttb::codility
