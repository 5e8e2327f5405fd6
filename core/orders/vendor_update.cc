#include "orders/vendor_update.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>

#include "orders/json_fields.h"

namespace ttb::orders {

using nlohmann::json;

namespace {

constexpr std::int64_t kMaxDurationS = std::int64_t{366} * 24 * 3600;  // a year
constexpr std::size_t kMaxCriteria = 100;

// A whole number within [lo, hi], or nullopt. Fractions are refused, not rounded: a revision
// of 1.5 is a plugin bug worth seeing.
std::optional<std::int64_t> whole_number(const json& value, std::int64_t lo, std::int64_t hi) {
  if (value.is_number_integer()) {
    if (value.is_number_unsigned() && value.get<std::uint64_t>() > static_cast<std::uint64_t>(hi))
      return std::nullopt;
    const auto v = value.get<std::int64_t>();
    if (v >= lo && v <= hi) return v;
  }
  return std::nullopt;
}

// The ABI 1.1 fields of an order update. Unlike the 1.0 fields, a malformed one is dropped on
// its own with a message: a plugin that gets the grade wrong still delivers its status.
void read_result_fields(const json& j, VendorUpdate& u, std::vector<std::string>& dropped) {
  if (auto it = j.find("grade"); it != j.end() && !it->is_null()) {
    const std::string grade = it->is_string() ? it->get<std::string>() : std::string();
    if (grade == "top_fit" || grade == "might_be_fit" || grade == "might_not_be_fit" ||
        grade == "unknown") {
      u.grade = grade;
    } else {
      dropped.emplace_back(
          "grade must be top_fit, might_be_fit, might_not_be_fit, unknown or null");
    }
  }
  if (auto it = j.find("duration_seconds"); it != j.end() && !it->is_null()) {
    if (auto v = whole_number(*it, 0, kMaxDurationS)) {
      u.duration_s = *v;
    } else {
      dropped.emplace_back("duration_seconds must be a whole number of seconds, 0 to a year");
    }
  }
  if (auto it = j.find("assessment_criteria"); it != j.end() && !it->is_null()) {
    std::vector<Criterion> list;
    bool ok = it->is_array() && it->size() <= kMaxCriteria;
    for (std::size_t i = 0; ok && i < it->size(); ++i) {
      const json& c = (*it)[i];
      Criterion criterion;
      ok = c.is_object() && c.contains("id") && c["id"].is_string() &&
           !c["id"].get<std::string>().empty();
      if (!ok) break;
      criterion.id = c["id"].get<std::string>();
      if (auto s = c.find("score"); s != c.end() && !s->is_null()) {
        auto score = whole_number(*s, 0, 100);
        ok = score.has_value();
        if (ok) criterion.score = static_cast<int>(*score);
      }
      if (ok) list.push_back(std::move(criterion));
    }
    if (ok) {
      u.criteria = std::move(list);
    } else {
      dropped.emplace_back(
          "assessment_criteria must be at most 100 of {\"id\": non-empty string, \"score\": "
          "0..100 or null}");
    }
  }
  if (auto it = j.find("revision"); it != j.end() && !it->is_null()) {
    if (auto v = whole_number(*it, 0, std::numeric_limits<std::int64_t>::max())) {
      u.revision = *v;
    } else {
      dropped.emplace_back("revision must be a non-negative whole number (larger is newer)");
    }
  }
}

}  // namespace

ParsedUpdate parse_vendor_update(const std::string& text) {
  const json j = parse_plugin_json(text);
  if (j.is_discarded() || !j.is_object()) {
    ParsedUpdate out;
    out.error = "order update is not a JSON object (or nests deeper than " +
                std::to_string(kMaxPluginJsonDepth) + " levels)";
    return out;
  }
  return read_vendor_update(j);
}

ParsedUpdate read_vendor_update(const json& j) {
  ParsedUpdate out;
  if (!j.is_object()) {
    out.error = "order update is not a JSON object";
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
  read_result_fields(j, u, out.dropped);
  out.update = std::move(u);
  return out;
}

}  // namespace ttb::orders
