#pragma once
// The fake's state of one invited candidate and how it renders as HackerRank's TestCandidate JSON.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ttb::fakes::hackerrank {

struct TestSpec {
  std::string id;
  std::string name;
  int duration_minutes = 60;
  bool draft = false;
  std::string state = "active";  // "active" | "archived"
};

struct QuestionScore {
  std::string name;
  double score = 0;
  double max_score = 0;
  std::string section = "Coding";
  std::string type = "code";
};

// What the candidate achieved; finish() sets status 7.
struct Outcome {
  double percentage_score = 0;
  std::vector<QuestionScore> questions;  // empty: one "Coding challenge" question scaled to match
  std::string performance_summary = "Solved the problems with clean, tested code.";
  std::string integrity_status = "No Issues Detected";
};

struct CandidateRecord {
  std::string id;
  std::string test_id;
  std::string email;
  std::string full_name;
  int status = -1;  // -1 invited, 1 attempt started, 7 report ready
  bool invite_valid = true;
  bool cancelled = false;
  std::string invited_on, attempt_starttime, attempt_endtime;
  std::string test_link;
  std::string report_url, authenticated_report_url, pdf_url;
  nlohmann::json invite_metadata = nlohmann::json::object();
  std::string test_result_url;
  nlohmann::json webhook_authentication;  // as given; never rendered
  bool accept_result_updates = false;
  bool has_result = false;
  Outcome outcome;
  int pdf_unavailable = 0;  // the next N pdf requests answer 503

  // The TestCandidate JSON. `questions` and `scores_sections_split` only appear when asked for
  // (additional_fields), like the real API; `everything` renders them regardless (webhooks).
  nlohmann::json to_json(const std::string& additional_fields, bool everything = false) const;
};

}  // namespace ttb::fakes::hackerrank
