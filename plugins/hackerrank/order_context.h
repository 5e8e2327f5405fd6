#pragma once
// The order context the host hands back (fetch_order, cancel_order, per-order callbacks): which
// HackerRank candidate an order is, and the webhook token we issued for it (vendor_state).

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace hackerrank {

struct OrderRef {
  std::string order_id;
  std::string test_id;
  std::string candidate_id;
  std::string token;  // "" when the context has none (then no callback can be verified)

  std::string vendor_order_id() const { return test_id + "/" + candidate_id; }
  nlohmann::json vendor_state() const;
};

// Reads vendor_state {test_id, candidate_id, token}; falls back to vendor_order_id
// "{test_id}/{candidate id}" for the ids. Throws ttb::sdk::Error(TTB_STATUS_INVALID) when the
// context is not JSON or names no candidate.
OrderRef parse_order_context(std::string_view order_json);

}  // namespace hackerrank
