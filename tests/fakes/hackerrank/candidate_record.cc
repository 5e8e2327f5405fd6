#include "fakes/hackerrank/candidate_record.h"

#include <cmath>
#include <map>

namespace ttb::fakes::hackerrank {

using Json = nlohmann::json;

namespace {

bool asked(const std::string& fields, const std::string& name) {
  std::size_t start = 0;
  while (start <= fields.size()) {
    std::size_t end = fields.find(',', start);
    if (end == std::string::npos) end = fields.size();
    if (fields.compare(start, end - start, name) == 0) return true;
    start = end + 1;
  }
  return false;
}

std::vector<QuestionScore> questions_of(const Outcome& o) {
  if (!o.questions.empty()) return o.questions;
  return {QuestionScore{"Coding challenge", std::round(o.percentage_score * 100.0) / 100.0, 100,
                        "Coding", "code"}};
}

}  // namespace

Json CandidateRecord::to_json(const std::string& additional_fields, bool everything) const {
  Json j = {
      {"id", id},
      {"test", test_id},
      {"email", email},
      {"full_name", full_name},
      {"status", status},
      {"invite_valid", invite_valid},
      {"invited_on", invited_on},
      {"invite_link", test_link},
      {"invite_metadata", invite_metadata},
      {"test_result_url", test_result_url},
      {"accept_result_updates", accept_result_updates},
      {"tags", Json::array()},
      {"ats_state", 0},  // an unknown field, as new ones appear at any time
      {"attempt_starttime", attempt_starttime.empty() ? Json(nullptr) : Json(attempt_starttime)},
      {"attempt_endtime", attempt_endtime.empty() ? Json(nullptr) : Json(attempt_endtime)},
      {"score", nullptr},
      {"percentage_score", nullptr},
      {"integrity_status", nullptr},
      {"performance_summary", nullptr},
      {"report_url", nullptr},
      {"authenticated_report_url", nullptr},
      {"pdf_url", nullptr},
  };
  if (!has_result) return j;

  const auto questions = questions_of(outcome);
  double total = 0, max_total = 0;
  Json qjson = Json::object();
  std::map<std::string, std::pair<double, double>> sections;
  for (std::size_t i = 0; i < questions.size(); ++i) {
    const auto& q = questions[i];
    total += q.score;
    max_total += q.max_score;
    std::string key = "q";  // appended, not `"q" + ...`: GCC bug 105329, a false -Wrestrict at -O3
    key += std::to_string(i + 1);
    qjson[key] = {
        {"name", q.name}, {"type", q.type}, {"score", q.score}, {"max_score", q.max_score}};
    sections[q.section].first += q.score;
    sections[q.section].second += q.max_score;
  }
  j["score"] = max_total > 0 ? std::round(outcome.percentage_score * max_total) / 100.0 : total;
  j["max_score"] = max_total;
  j["percentage_score"] = outcome.percentage_score;
  j["integrity_status"] =
      outcome.integrity_status.empty() ? Json(nullptr) : Json(outcome.integrity_status);
  j["integrity_summary"] = "Proctoring found nothing unusual.";
  j["performance_summary"] = outcome.performance_summary;
  j["report_url"] = report_url;
  j["authenticated_report_url"] = authenticated_report_url;
  j["pdf_url"] = pdf_url;
  j["plagiarism_status"] = false;
  if (everything || asked(additional_fields, "questions")) j["questions"] = qjson;
  if (everything || asked(additional_fields, "scores_sections_split")) {
    Json split = Json::object();
    for (const auto& [name, sm] : sections)
      split[name] = {{"score", sm.first}, {"max_score", sm.second}};
    j["scores_sections_split"] = split;
  }
  return j;
}

}  // namespace ttb::fakes::hackerrank
