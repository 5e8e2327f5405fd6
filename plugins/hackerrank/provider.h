#pragma once
// The HackerRank for Work provider: wires the ABI calls to HackerRank's API (hackerrank_api.h)
// and the pure mappings (mapping.h). Every function runs on the instance's strand, so no locks;
// every path completes its call exactly once (ttb::sdk::Call guarantees it, and a
// ttb::sdk::Error thrown in a step fails the call with that status).
//
// run_action is not offered (the host reports it as unsupported): HackerRank's v3 API documents
// no "resend invitation" call, and re-inviting with `force` would issue a new test link.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "config.h"
#include "hackerrank_api.h"
#include "mapping.h"
#include "ttbridge/plugin.hpp"

namespace ttb::hackerrank {

class HackerRankProvider final : public sdk::Provider {
 public:
  // The descriptor's config schema and sample config (config.h); ttb::sdk::Provider explains.
  static const char* config_schema() noexcept { return ttb::hackerrank::config_schema(); }
  static const char* sample_config() noexcept { return ttb::hackerrank::sample_config(); }

  // Throws sdk::Error(TTB_STATUS_INVALID, ...) naming the bad setting (see config.h).
  HackerRankProvider(sdk::Host host, std::string_view config_json);

  void list_tests(sdk::Call call) override;
  void create_order(std::string_view request_json, sdk::Call call) override;
  void handle_callback(const sdk::CallbackRequest& request, sdk::Call call) override;
  void fetch_order(std::string_view order_json, sdk::Call call) override;
  void cancel_order(std::string_view order_json, sdk::Call call) override;

 private:
  using OnUpdate = std::function<void(nlohmann::json update, const nlohmann::json& candidate,
                                      const OrderRef&, sdk::Call)>;
  // The candidate (and the PDF link, once read) as an order update of this read.
  using MapUpdate = std::function<nlohmann::json(const nlohmann::json& candidate,
                                                 const std::optional<std::string>& pdf)>;

  void fetch_tests_page(const std::string& url, int page,
                        const std::shared_ptr<nlohmann::json>& tests, sdk::Call call);
  // Re-reads the candidate (the only state we trust) and, once the report exists, its PDF link
  // and the test's cutoff; then maps them to an order update.
  void refresh(const OrderRef& order, sdk::Call call, OnUpdate done);
  // The revision of a re-fetch starting now: the host clock in ms, made strictly increasing
  // within this instance so two reads in one millisecond still order (docs/protocols/
  // hackerrank.md, "Re-scores").
  std::int64_t next_revision();
  // A finished candidate's PDF link and, unless the unit is off, the grade from the test's
  // cutoff (cutoff.h), both read at once; then the update goes to `done`. The test is read again
  // each time, so a changed cutoff applies to later reads.
  void read_report(nlohmann::json candidate, const OrderRef& order, const MapUpdate& mapped,
                   sdk::Call call, const OnUpdate& done);

  HackerRankApi api_;
  std::int64_t last_revision_ = 0;
};

}  // namespace ttb::hackerrank
