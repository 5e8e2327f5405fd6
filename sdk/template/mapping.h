#pragma once
// The vendor's JSON and ttbridge's payloads (docs/plugin-abi.md, "Payloads"; installed as
// /usr/share/doc/ttbridge-sdk-dev/plugin-abi.md), both ways: the order request read into the
// vendor's invitation body, and the vendor's order mapped to an order update. Pure functions over
// JSON, testable without a host. Malformed input throws ttb::sdk::Error(TTB_STATUS_INVALID).

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ttb::example {

// Parses untrusted JSON that must be an object; `what` names it in the error.
nlohmann::json parse_object(std::string_view text, const char* what);
// A non-empty string member, or the error naming it.
std::string required_string(const nlohmann::json& object, const char* key, const char* what);

// The tests this vendor offers, as list_tests' result.
nlohmann::json tests();

// ---- ttbridge → vendor

// POST /invitations from the host's order request.
nlohmann::json invitation_body(std::string_view request_json);

// ---- vendor → ttbridge

// The order update for the vendor's order ({"id", "state", "score", "report_url"}). `order_id`
// may be empty (a callback names its order by vendor_order_id).
nlohmann::json order_update(const nlohmann::json& vendor_order, const std::string& order_id);

}  // namespace ttb::example
