#include "orders/result_view.h"

#include <nlohmann/json.hpp>

namespace ttb::orders {

using nlohmann::json;

std::string ResultView::to_json() const {
  json j = json::object();
  j["status"] = status;
  j["score"] = score ? json(*score) : json(nullptr);
  if (grade) j["grade"] = *grade;
  if (duration_s) j["duration_s"] = *duration_s;
  j["summary"] = summary;
  j["url"] = url;
  j["attachments"] = json::array();
  for (const auto& a : attachments) {
    j["attachments"].push_back({{"url", a.url}, {"description", a.description}});
  }
  j["details"] = details_json.empty() ? json(nullptr) : json::parse(details_json, nullptr, false);
  if (j["details"].is_discarded()) j["details"] = nullptr;
  if (!criteria.empty()) {
    j["criteria"] = json::array();
    for (const auto& c : criteria) {
      j["criteria"].push_back({{"id", c.id}, {"score", c.score ? json(*c.score) : json(nullptr)}});
    }
  }
  return j.dump();
}

ResultView ResultView::from_json(const std::string& text) {
  ResultView v;
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return v;
  v.status = j.value("status", "");
  if (auto it = j.find("score"); it != j.end() && it->is_number_integer()) v.score = it->get<int>();
  if (auto it = j.find("grade"); it != j.end() && it->is_string()) v.grade = it->get<std::string>();
  if (auto it = j.find("duration_s"); it != j.end() && it->is_number_integer()) {
    v.duration_s = it->get<std::int64_t>();
  }
  v.summary = j.value("summary", "");
  v.url = j.value("url", "");
  if (auto it = j.find("attachments"); it != j.end() && it->is_array()) {
    for (const auto& a : *it) {
      if (a.is_object()) v.attachments.push_back({a.value("url", ""), a.value("description", "")});
    }
  }
  if (auto it = j.find("details"); it != j.end() && it->is_object()) v.details_json = it->dump();
  if (auto it = j.find("criteria"); it != j.end() && it->is_array()) {
    for (const auto& c : *it) {
      if (!c.is_object() || !c.contains("id") || !c["id"].is_string()) continue;
      Criterion criterion{c["id"].get<std::string>(), std::nullopt};
      if (auto s = c.find("score"); s != c.end() && s->is_number_integer()) {
        criterion.score = s->get<int>();
      }
      v.criteria.push_back(std::move(criterion));
    }
  }
  return v;
}

std::string default_summary(OrderStatus status, FailureReason reason, const std::string& email) {
  const std::string to = email.empty() ? std::string("the candidate") : email;
  switch (status) {
    case OrderStatus::received:
      return "Sending the invitation to " + to;
    case OrderStatus::invited:
      return "Invitation sent to " + to;
    case OrderStatus::in_progress:
      return "In progress";
    case OrderStatus::completed:
      return "Completed";
    case OrderStatus::failed:
      switch (reason) {
        case FailureReason::expired:
          return "Failed: the invitation expired";
        case FailureReason::cancelled:
          return "Cancelled";
        case FailureReason::rejected:
          return "Failed: the vendor refused the order";
        case FailureReason::vendor_error:
        case FailureReason::none:
          return "Failed: the vendor reported an error";
      }
  }
  return "";
}

ResultView next_result(const ResultView& previous, OrderStatus status, FailureReason reason,
                       const VendorUpdate& update, const std::string& candidate_email) {
  ResultView v = previous;
  v.status = teamtailor_status(status);
  if (update.score) v.score = update.score;
  if (!update.summary.empty()) {
    v.summary = update.summary;
  } else if (previous.status != v.status || previous.summary.empty()) {
    v.summary = default_summary(status, reason, candidate_email);
  }
  if (!update.report_url.empty()) v.url = update.report_url;
  if (update.attachments) v.attachments = *update.attachments;
  if (!update.details_json.empty()) v.details_json = update.details_json;
  if (update.grade) v.grade = update.grade;
  if (update.duration_s) v.duration_s = update.duration_s;
  if (update.criteria) v.criteria = *update.criteria;
  return v;
}

std::string describe_changes(const ResultView& before, const ResultView& after) {
  std::string out;
  auto add = [&out](const std::string& what) {
    if (!out.empty()) out += ", ";
    out += what;
  };
  auto score_text = [](const std::optional<int>& score) {
    return score ? std::to_string(*score) : std::string("none");
  };
  if (before.score != after.score) {
    std::string score = "score ";
    score += score_text(before.score);
    score += " → ";
    score += score_text(after.score);
    add(score);
  }
  if (before.grade != after.grade) add("grade");
  if (before.summary != after.summary) add("summary");
  if (before.details_json != after.details_json) add("details");
  if (before.attachments != after.attachments) add("attachments");
  if (before.url != after.url) add("report link");
  if (before.criteria != after.criteria) add("criteria");
  if (before.duration_s != after.duration_s) add("duration");
  if (before.status != after.status) add("status");
  return out;
}

}  // namespace ttb::orders
