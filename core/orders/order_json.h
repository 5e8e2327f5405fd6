#pragma once
// The JSON payloads the engine hands to plugins about an order (docs/plugin-abi.md): the
// create_order request and the order context of fetch_order, cancel_order, run_action and
// callbacks.

#include <string>

#include "store/records.h"

namespace ttb::orders {

// {"order_id","test_id","candidate":{…},"job":{…},"options":{…},"callback_url","locale"}
std::string create_order_request_json(const store::OrderRecord& order);

// {"order_id","vendor_order_id","test_id","status","candidate":{…},"vendor_state":{…}}; status
// is in the plugin's words: received (not invited yet), sent, pending, completed, failed.
std::string order_context_json(const store::OrderRecord& order);

// {"action":NAME,"order":<order context>} for run_action.
std::string action_request_json(const std::string& action, const store::OrderRecord& order);

// <public_url>/callbacks/<tenant>/<provider>/orders/<order_id>, each segment percent-encoded.
std::string callback_url(const std::string& public_url, const std::string& tenant,
                         const std::string& provider, const std::string& order_id);

}  // namespace ttb::orders
