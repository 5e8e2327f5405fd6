#include "fakes/teamtailor/partner_result_rules.h"

#include <algorithm>
#include <regex>
#include <set>

namespace ttb::fakes {

namespace {

using Json = nlohmann::json;

bool http_url(const Json& value) {
  static const std::regex kUrl(R"(^https?://[^\s/?#:@]+(:[0-9]+)?([/?#][^\s]*)?$)",
                               std::regex::icase);
  return value.is_string() && std::regex_match(value.get<std::string>(), kUrl);
}

// Depth of a value, counted no further than `limit` so a hostile body cannot exhaust the stack.
int depth(const Json& value, int limit = 8) {
  if (!value.is_structured() || limit == 0) return 0;
  int deepest = 0;
  for (const auto& child : value) deepest = std::max(deepest, depth(child, limit - 1));
  return deepest + 1;
}

bool score_value(const Json& value) {
  return value.is_number_integer() && value.get<long long>() >= 0 && value.get<long long>() <= 100;
}

bool exact_keys(const Json& object, const std::set<std::string>& required,
                const std::set<std::string>& optional = {}) {
  if (!object.is_object()) return false;
  for (const auto& key : required) {
    if (!object.contains(key)) return false;
  }
  for (const auto& [key, value] : object.items()) {
    if (!required.count(key) && !optional.count(key)) return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> check_partner_result_attributes(const Json& attributes, bool create) {
  std::vector<std::string> errors;
  if (!attributes.is_object()) return {"data.attributes must be an object"};

  static const std::set<std::string> kKnown = {
      "status",  "assessment",          "summary",      "url",   "details", "attachments",
      "actions", "assessment-criteria", "candidate-id", "job-id"};
  for (const auto& [key, value] : attributes.items()) {
    if (!kKnown.count(key)) errors.push_back("unknown attribute '" + key + "'");
  }

  if (attributes.contains("candidate-id")) {
    if (!create) {
      errors.push_back("candidate-id is immutable and cannot be sent on update");
    } else if (!attributes["candidate-id"].is_number_integer()) {
      errors.push_back("candidate-id must be an integer");
    }
  } else if (create) {
    errors.push_back("candidate-id is required");
  }

  static const std::set<std::string> kStatuses = {"sending", "sent", "pending", "completed",
                                                  "failed"};
  if (attributes.contains("status")) {
    const auto& status = attributes["status"];
    if (!status.is_string() || !kStatuses.count(status.get<std::string>())) {
      errors.push_back("status is not included in the list");
    }
  } else if (create) {
    errors.push_back("status is required");
  }

  if (attributes.contains("assessment")) {
    const auto& a = attributes["assessment"];
    if (!exact_keys(a, {}, {"score", "grade", "duration"})) {
      errors.push_back("assessment must be an object with score, grade, duration");
    } else {
      if (a.contains("score") && !a["score"].is_null() && !score_value(a["score"])) {
        errors.push_back("assessment.score must be an integer between 0 and 100");
      }
      static const std::set<std::string> kGrades = {"top_fit", "might_be_fit", "might_not_be_fit",
                                                    "unknown"};
      if (a.contains("grade") && !a["grade"].is_null() &&
          (!a["grade"].is_string() || !kGrades.count(a["grade"].get<std::string>()))) {
        errors.push_back("assessment.grade is not included in the list");
      }
      if (a.contains("duration") && !a["duration"].is_null()) {
        static const std::regex kClock(R"(^[0-9]+:[0-5][0-9]:[0-5][0-9]$)");
        const auto& d = a["duration"];
        bool ok = (d.is_number_integer() && d.get<long long>() >= 0) ||
                  (d.is_string() && std::regex_match(d.get<std::string>(), kClock));
        if (!ok) errors.push_back("assessment.duration must be seconds or HH:MM:SS");
      }
    }
  }

  if (attributes.contains("summary") && !attributes["summary"].is_string() &&
      !attributes["summary"].is_null()) {
    errors.push_back("summary must be a string");
  }
  if (attributes.contains("url") && !attributes["url"].is_null() && !http_url(attributes["url"])) {
    errors.push_back("url must be an http(s) URL");
  }
  if (attributes.contains("details") && !attributes["details"].is_null()) {
    const auto& d = attributes["details"];
    if (!d.is_object()) {
      errors.push_back("details must be an object");
    } else if (depth(d) > 2) {
      errors.push_back("details can have a maximum depth of 2");
    }
  }
  if (attributes.contains("attachments")) {
    const auto& list = attributes["attachments"];
    if (!list.is_array()) {
      errors.push_back("attachments must be an array");
    } else {
      for (const auto& item : list) {
        if (!exact_keys(item, {"url", "description"}) || !http_url(item["url"]) ||
            !item["description"].is_string()) {
          errors.push_back("attachments must only contain {url, description} with http(s) urls");
          break;
        }
      }
    }
  }
  if (attributes.contains("actions")) {
    const auto& list = attributes["actions"];
    bool ok = list.is_array();
    for (const auto& item : ok ? list : Json::array()) {
      ok = ok && exact_keys(item, {"buttonText", "endpoint"}) && item["buttonText"].is_string() &&
           item["endpoint"].is_string();
    }
    if (!ok) errors.push_back("actions must only contain {buttonText, endpoint}");
  }
  if (attributes.contains("assessment-criteria")) {
    const auto& list = attributes["assessment-criteria"];
    bool ok = list.is_array();
    for (const auto& item : ok ? list : Json::array()) {
      ok = ok && exact_keys(item, {"id"}, {"score"}) && item["id"].is_string() &&
           (!item.contains("score") || item["score"].is_null() || score_value(item["score"]));
    }
    if (!ok) errors.push_back("assessment-criteria must contain {id, score 0-100}");
  }
  if (attributes.contains("job-id") && !attributes["job-id"].is_null() &&
      !attributes["job-id"].is_number_integer()) {
    errors.push_back("job-id must be an integer");
  }
  return errors;
}

}  // namespace ttb::fakes
