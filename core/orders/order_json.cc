#include "orders/order_json.h"

#include <cctype>
#include <nlohmann/json.hpp>

#include "orders/order_status.h"

namespace ttb::orders {
namespace {

using nlohmann::json;

json object_or_empty(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  return j.is_object() ? j : json::object();
}

std::string encode_segment(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

json context(const store::OrderRecord& order) {
  const auto status = parse_order_status(order.status).value_or(OrderStatus::received);
  return json{{"order_id", order.id},
              {"vendor_order_id", order.vendor_order_id},
              {"test_id", order.test_id},
              {"status", vendor_word(status)},
              {"candidate", object_or_empty(order.candidate_json)},
              {"vendor_state", object_or_empty(order.vendor_state_json)}};
}

}  // namespace

std::string create_order_request_json(const store::OrderRecord& order) {
  return json{{"order_id", order.id},
              {"test_id", order.test_id},
              {"candidate", object_or_empty(order.candidate_json)},
              {"job", object_or_empty(order.job_json)},
              {"options", object_or_empty(order.options_json)},
              {"callback_url", order.callback_url},
              {"locale", order.locale.empty() ? std::string("en") : order.locale}}
      .dump();
}

std::string order_context_json(const store::OrderRecord& order) {
  return context(order).dump();
}

std::string action_request_json(const std::string& action, const store::OrderRecord& order) {
  return json{{"action", action}, {"order", context(order)}}.dump();
}

std::string callback_url(const std::string& public_url, const std::string& tenant,
                         const std::string& provider, const std::string& order_id) {
  std::string base = public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/callbacks/" + encode_segment(tenant) + "/" + encode_segment(provider) +
         "/orders/" + encode_segment(order_id);
}

}  // namespace ttb::orders
