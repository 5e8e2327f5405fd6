#pragma once
// The host's payloads as the Checkr plugin reads them (create_order request, order context) and
// the Checkr request bodies built from them. Pure functions; malformed input gives an error
// message for TTB_STATUS_INVALID, never an exception across the ABI.

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "config.h"

namespace ttb::checkr {

struct OrderRequest {
  std::string order_id;  // the Teamtailor partner-result id; Checkr's candidate custom_id
  std::string package;   // test_id = package slug
  std::string email;     // the one field Checkr's hosted flow requires
  std::string first_name;
  std::string last_name;
  std::string phone;
  std::string teamtailor_candidate_id;
  std::string job_id;
  std::string job_title;
};

struct OrderContext {
  std::string order_id;
  std::string invitation_id;  // vendor_order_id
  std::string report_id;      // vendor_state.report_id, once known
};

// On failure returns nullopt and sets `error` (names the field, never its value).
std::optional<OrderRequest> parse_order_request(std::string_view json, std::string& error);
std::optional<OrderContext> parse_order_context(std::string_view json, std::string& error);

// POST /candidates: custom_id = our order id, so a retried order finds its candidate again and a
// report event leads back to the order. The job goes into metadata (Checkr has no job field).
nlohmann::json candidate_body(const OrderRequest& order);

// POST /invitations: the package, the candidate and the account's work location, node and tags.
nlohmann::json invitation_body(const OrderRequest& order, const std::string& candidate_id,
                               const Config& config);

}  // namespace ttb::checkr
