#include "order_context.h"

#include "order_request.h"
#include "ttbridge/plugin.hpp"

namespace hackerrank {

using nlohmann::json;

json OrderRef::vendor_state() const {
  json state = {{"test_id", test_id}, {"candidate_id", candidate_id}};
  if (!token.empty()) state["token"] = token;
  return state;
}

OrderRef parse_order_context(std::string_view order_json) {
  json c = json::parse(order_json, nullptr, false);
  if (c.is_discarded() || !c.is_object())
    throw ttb::sdk::Error(TTB_STATUS_INVALID, "order context: not a JSON object");
  OrderRef ref;
  if (auto it = c.find("order_id"); it != c.end()) ref.order_id = id_text(*it);
  if (auto vs = c.find("vendor_state"); vs != c.end() && vs->is_object()) {
    if (auto it = vs->find("test_id"); it != vs->end()) ref.test_id = id_text(*it);
    if (auto it = vs->find("candidate_id"); it != vs->end()) ref.candidate_id = id_text(*it);
    if (auto it = vs->find("token"); it != vs->end() && it->is_string())
      ref.token = it->get<std::string>();
  }
  if (ref.test_id.empty() || ref.candidate_id.empty()) {
    // An order created before vendor_state was kept, or by hand: the vendor order id suffices.
    std::string vid;
    if (auto it = c.find("vendor_order_id"); it != c.end()) vid = id_text(*it);
    auto slash = vid.find('/');
    if (slash != std::string::npos && slash > 0 && slash + 1 < vid.size()) {
      ref.test_id = vid.substr(0, slash);
      ref.candidate_id = vid.substr(slash + 1);
    }
  }
  if (ref.test_id.empty() || ref.candidate_id.empty())
    throw ttb::sdk::Error(
        TTB_STATUS_INVALID,
        "order context: neither vendor_state nor vendor_order_id names the HackerRank candidate");
  return ref;
}

}  // namespace hackerrank
