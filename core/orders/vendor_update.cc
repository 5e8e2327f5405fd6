#include "orders/vendor_update.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "orders/json_fields.h"

namespace ttb::orders {

using nlohmann::json;

ParsedUpdate parse_vendor_update(const std::string& text) {
  ParsedUpdate out;
  json j = parse_plugin_json(text);
  if (j.is_discarded() || !j.is_object()) {
    out.error = "order update is not a JSON object (or nests deeper than " +
                std::to_string(kMaxPluginJsonDepth) + " levels)";
    return out;
  }
  VendorUpdate u;
  std::string error;
  if (!string_field(j, "order_id", u.order_id, error) ||
      !string_field(j, "vendor_order_id", u.vendor_order_id, error) ||
      !string_field(j, "summary", u.summary, error) ||
      !string_field(j, "candidate_url", u.candidate_url, error) ||
      !string_field(j, "report_url", u.report_url, error)) {
    out.error = error;
    return out;
  }
  std::string status;
  if (!string_field(j, "status", status, error)) {
    out.error = error;
    return out;
  }
  if (!status.empty()) {
    u.status = parse_vendor_status(status);
    if (!u.status) {
      out.error = "order update: status '" + status + "' is not sent, pending, completed or failed";
      return out;
    }
  }
  std::string reason;
  if (!string_field(j, "failure_reason", reason, error)) {
    out.error = error;
    return out;
  }
  auto parsed_reason = parse_failure_reason(reason);
  if (!parsed_reason) {
    out.error = "order update: failure_reason '" + reason +
                "' is not expired, cancelled, rejected or vendor_error";
    return out;
  }
  u.failure_reason = *parsed_reason;
  if (u.status == VendorStatus::failed && u.failure_reason == FailureReason::none) {
    u.failure_reason = FailureReason::vendor_error;
  }
  if (u.status != VendorStatus::failed) u.failure_reason = FailureReason::none;

  if (auto it = j.find("score"); it != j.end() && !it->is_null()) {
    if (!it->is_number()) {
      out.error = "order update: score must be a number from 0 to 100 or null";
      return out;
    }
    const double score = it->get<double>();
    if (!(score >= 0 && score <= 100)) {
      out.error = "order update: score " + it->dump() + " is outside 0..100";
      return out;
    }
    u.score = static_cast<int>(std::lround(score));
  }
  if (auto it = j.find("attachments"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) {
      out.error = "order update: attachments must be an array of {url, description}";
      return out;
    }
    std::vector<Attachment> list;
    for (const auto& a : *it) {
      Attachment att;
      if (!a.is_object() || !string_field(a, "url", att.url, error) ||
          !string_field(a, "description", att.description, error) || att.url.empty()) {
        out.error = "order update: each attachment needs a url and a description";
        return out;
      }
      list.push_back(std::move(att));
    }
    u.attachments = std::move(list);
  }
  for (auto [key, target] :
       {std::pair{"details", &u.details_json}, std::pair{"vendor_state", &u.vendor_state_json}}) {
    if (auto it = j.find(key); it != j.end() && !it->is_null()) {
      if (!it->is_object()) {
        out.error = std::string("order update: ") + key + " must be a JSON object";
        return out;
      }
      *target = it->dump();
    }
  }
  out.update = std::move(u);
  return out;
}

}  // namespace ttb::orders
