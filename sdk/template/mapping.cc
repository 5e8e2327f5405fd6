#include "mapping.h"

#include "ttbridge/plugin.hpp"

namespace ttb::example {

using nlohmann::json;

json parse_object(std::string_view text, const char* what) {
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object())
    throw sdk::Error(TTB_STATUS_INVALID, std::string(what) + " is not a JSON object");
  return j;
}

std::string required_string(const json& object, const char* key, const char* what) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string() || it->get<std::string>().empty())
    throw sdk::Error(TTB_STATUS_INVALID,
                     std::string(what) + " needs a non-empty string \"" + key + "\"");
  return it->get<std::string>();
}

// Fixed here. A list read from the vendor's API skips a test whose id breaks the host's rule, or
// the host refuses the whole list: `if (!sdk::is_valid_test_id(id)) continue;`
// (ttbridge/test_list.hpp).
json tests() {
  return {{"tests",
           {{{"id", "coding_basic"},
             {"name", "Coding (basic)"},
             {"kind", "assessment"},
             {"description", "60-minute programming test"},
             {"duration_minutes", 60}},
            {{"id", "coding_senior"},
             {"name", "Coding (senior)"},
             {"kind", "assessment"},
             {"description", "90-minute programming test"},
             {"duration_minutes", 90}}}}};
}

json invitation_body(std::string_view request_json) {
  json request = parse_object(request_json, "order request");
  const std::string order_id = required_string(request, "order_id", "order request");
  const std::string test_id = required_string(request, "test_id", "order request");
  if (!request.contains("candidate") || !request["candidate"].is_object())
    throw sdk::Error(TTB_STATUS_INVALID, "order request needs a candidate object");
  const json& candidate = request["candidate"];
  return {{"test", test_id},
          {"email", candidate.value("email", "")},
          {"name", candidate.value("first_name", "") + " " + candidate.value("last_name", "")},
          {"webhook_url", request.value("callback_url", "")},
          {"reference", order_id}};
}

json order_update(const json& vendor_order, const std::string& order_id) {
  const std::string state = vendor_order.value("state", "");
  json update = {{"vendor_order_id", vendor_order.value("id", "")},
                 {"status", state == "done"      ? "completed"
                            : state == "started" ? "pending"
                                                 : "sent"},
                 {"vendor_state", json::object()}};
  if (!order_id.empty()) update["order_id"] = order_id;
  if (vendor_order.contains("score") && vendor_order["score"].is_number())
    update["score"] = vendor_order["score"];
  if (vendor_order.contains("report_url") && vendor_order["report_url"].is_string())
    update["report_url"] = vendor_order["report_url"];
  return update;
}

}  // namespace ttb::example
