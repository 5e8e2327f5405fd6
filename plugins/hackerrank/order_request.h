#pragma once
// create_order: the engine's order request in, HackerRank's invite body out, and the order update
// made from HackerRank's answer. Pure functions over JSON, tested without a host.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace hackerrank {

struct OrderRequest {
  std::string order_id;      // the partner-result id
  std::string test_id;       // HackerRank test id (without the provider prefix)
  std::string candidate_id;  // Teamtailor candidate id
  std::string first_name, last_name, email, phone;
  std::string job_id, job_title;
  std::string callback_url;  // this order's /callbacks/{tenant}/{provider}/orders/{order_id}
};

// Throws ttb::sdk::Error(TTB_STATUS_INVALID, ...) naming the missing or malformed field.
OrderRequest parse_order_request(std::string_view request_json);

// The body of POST /tests/{test_id}/candidates. `send_email` is always present: HackerRank's
// docs disagree on its default. HackerRank POSTs results to `test_result_url` presenting
// `token` as a Bearer credential; `accept_result_updates` asks it to post later changes too.
nlohmann::json build_invite_body(const OrderRequest& order, bool send_email,
                                 const std::string& token);

// The order update for a successful invite: status "sent", candidate_url = test_link,
// vendor_order_id = "{test_id}/{candidate id}", vendor_state = {test_id, candidate_id, token}.
// Throws ttb::sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE) when the answer lacks the id or link.
nlohmann::json invite_update(const OrderRequest& order, const nlohmann::json& invite_answer,
                             const std::string& token);

// A JSON id that may come as a string or a number, as a string; "" otherwise.
std::string id_text(const nlohmann::json& value);

}  // namespace hackerrank
