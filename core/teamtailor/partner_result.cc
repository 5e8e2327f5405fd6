#include "teamtailor/partner_result.h"

#include <algorithm>
#include <array>

#include "teamtailor/text.h"

namespace ttb::teamtailor {

namespace {

using Json = nlohmann::json;

constexpr std::array<std::string_view, 5> kStatuses = {"sending", "sent", "pending", "completed",
                                                       "failed"};
constexpr std::array<std::string_view, 4> kGrades = {"top_fit", "might_be_fit", "might_not_be_fit",
                                                     "unknown"};

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& allowed, std::string_view value) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

}  // namespace

bool json_deeper_than(const Json& value, std::size_t max_depth) {
  if (!value.is_structured()) return false;
  if (max_depth == 0) return true;
  // Recursion stops at max_depth, so a hostile value cannot exhaust the stack.
  for (const auto& child : value) {
    if (json_deeper_than(child, max_depth - 1)) return true;
  }
  return false;
}

std::vector<std::string> validate(const PartnerResultUpdate& update) {
  std::vector<std::string> errors;
  if (!update.status.empty() && !one_of(kStatuses, update.status)) {
    errors.emplace_back("status must be one of sending, sent, pending, completed, failed");
  }
  if (update.score && (*update.score < 0 || *update.score > 100)) {
    errors.emplace_back("assessment.score must be an integer from 0 to 100");
  }
  if (update.grade && !one_of(kGrades, *update.grade)) {
    errors.emplace_back(
        "assessment.grade must be one of top_fit, might_be_fit, might_not_be_fit, unknown");
  }
  if (update.duration_s && *update.duration_s < 0) {
    errors.emplace_back("assessment.duration must not be negative");
  }
  if (!update.url.empty() && !is_http_url(update.url)) {
    errors.emplace_back("url must be an http(s) URL");
  }
  if (!update.details.is_null()) {
    if (!update.details.is_object()) {
      errors.emplace_back("details must be a JSON object");
    } else if (json_deeper_than(update.details, kMaxDetailsDepth)) {
      errors.emplace_back("details must be at most 2 levels deep");
    }
  }
  for (std::size_t i = 0; i < update.criteria.size(); ++i) {
    const auto& criterion = update.criteria[i];
    const std::string where = "assessment-criteria[" + std::to_string(i) + "]";
    if (criterion.id.empty()) errors.push_back(where + ".id must not be empty");
    if (criterion.score && (*criterion.score < 0 || *criterion.score > 100)) {
      errors.push_back(where + ".score must be an integer from 0 to 100");
    }
  }
  if (update.actions) {
    for (std::size_t i = 0; i < update.actions->size(); ++i) {
      const auto& action = (*update.actions)[i];
      const std::string where = "actions[" + std::to_string(i) + "]";
      if (action.button_text.empty()) errors.push_back(where + ".buttonText must not be empty");
      // Teamtailor joins it to the partner base URL: a path, never a URL of its own.
      if (action.endpoint.empty() || action.endpoint.front() == '/' ||
          action.endpoint.find("://") != std::string::npos) {
        errors.push_back(where + ".endpoint must be a path relative to the base URL");
      }
    }
  }
  for (std::size_t i = 0; i < update.attachments.size(); ++i) {
    const auto& attachment = update.attachments[i];
    const std::string where = "attachments[" + std::to_string(i) + "]";
    if (!is_http_url(attachment.url)) errors.push_back(where + ".url must be an http(s) URL");
  }
  return errors;
}

std::string to_jsonapi(std::string_view id, const PartnerResultUpdate& update) {
  Json attributes = Json::object();
  if (!update.status.empty()) attributes["status"] = update.status;
  Json assessment = Json::object();
  if (update.score) assessment["score"] = *update.score;
  if (update.grade) assessment["grade"] = *update.grade;
  if (update.duration_s) assessment["duration"] = *update.duration_s;
  if (!assessment.empty()) attributes["assessment"] = assessment;
  if (!update.summary.empty()) attributes["summary"] = update.summary;
  if (!update.url.empty()) attributes["url"] = update.url;
  if (update.details.is_object()) attributes["details"] = update.details;
  if (!update.attachments.empty()) {
    Json attachments = Json::array();
    for (const auto& a : update.attachments) {
      attachments.push_back({{"url", a.url}, {"description", a.description}});
    }
    attributes["attachments"] = attachments;
  }
  if (!update.criteria.empty()) {
    Json criteria = Json::array();
    for (const auto& c : update.criteria) {
      Json item = {{"id", c.id}};
      if (c.score) item["score"] = *c.score;
      criteria.push_back(item);
    }
    attributes["assessment-criteria"] = criteria;
  }
  if (update.actions) {
    Json actions = Json::array();
    for (const auto& a : *update.actions) {
      actions.push_back({{"buttonText", a.button_text}, {"endpoint", a.endpoint}});
    }
    attributes["actions"] = actions;
  }
  const Json body = {
      {"data", {{"type", "partner-results"}, {"id", std::string(id)}, {"attributes", attributes}}}};
  return body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace ttb::teamtailor
