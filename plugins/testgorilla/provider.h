#pragma once
// The TestGorilla provider: wires the ABI calls to TestGorilla's API (testgorilla_api.h) and the
// pure mappings (mapping.h). Every function runs on the instance's strand, so no locks; every
// path completes its call exactly once (ttb::sdk::Call guarantees it, and a ttb::sdk::Error
// thrown in a step fails the call with that status).
//
// TestGorilla sends no webhooks: results reach the engine only through fetch_order, which the
// engine's poll chain calls (docs/plugins/testgorilla.md). handle_callback refuses every
// request. run_action is not offered.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "config.h"
#include "mapping.h"
#include "testgorilla_api.h"
#include "ttbridge/plugin.hpp"

namespace ttb::testgorilla {

class TestGorillaProvider final : public sdk::Provider {
 public:
  // The descriptor's config schema and sample config (config.h); ttb::sdk::Provider explains.
  static const char* config_schema() noexcept { return ttb::testgorilla::config_schema(); }
  static const char* sample_config() noexcept { return ttb::testgorilla::sample_config(); }

  // Throws sdk::Error(TTB_STATUS_INVALID, ...) naming the bad setting (see config.h).
  TestGorillaProvider(sdk::Host host, std::string_view config_json);

  void list_tests(sdk::Call call) override;
  // Safe to repeat: the candidate is looked up in the assessment first and invited only when
  // absent (TestGorilla has no idempotency key and lets a candidate take an assessment once).
  void create_order(std::string_view request_json, sdk::Call call) override;
  void handle_callback(const sdk::CallbackRequest& request, sdk::Call call) override;
  void fetch_order(std::string_view order_json, sdk::Call call) override;
  // Deletes the candidature (DELETE /assessments/candidature/{id}/).
  void cancel_order(std::string_view order_json, sdk::Call call) override;

 private:
  using OnFound = std::function<void(std::optional<nlohmann::json> candidature, sdk::Call)>;

  void fetch_assessments_page(int page, const std::shared_ptr<nlohmann::json>& tests,
                              sdk::Call call);
  // Pages through the assessment's candidates (newest first, narrowed by a search for the
  // e-mail when there is one) for the one with this id, or when `candidature_id` is "", this
  // e-mail.
  void find(const std::string& assessment_id, const std::string& candidature_id,
            const std::string& email, int page, std::size_t seen, sdk::Call call, OnFound done);

  TestGorillaApi api_;
};

}  // namespace ttb::testgorilla
