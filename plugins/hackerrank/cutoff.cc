#include "cutoff.h"

namespace ttb::hackerrank {
namespace {

using nlohmann::json;

std::optional<double> number(const json& object, const char* key) {
  if (!object.is_object()) return std::nullopt;
  auto it = object.find(key);
  if (it == object.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

// The candidate's percentage: percentage_score, else score / max_score.
std::optional<double> percentage(const json& candidate) {
  if (auto p = number(candidate, "percentage_score")) return p;
  auto score = number(candidate, "score");
  auto max = number(candidate, "max_score");
  if (score && max && *max > 0) return *score / *max * 100.0;
  return std::nullopt;
}

}  // namespace

std::optional<CutoffUnit> parse_cutoff_unit(std::string_view text) {
  if (text == "points") return CutoffUnit::points;
  if (text == "percent") return CutoffUnit::percent;
  if (text == "off") return CutoffUnit::off;
  return std::nullopt;
}

std::optional<double> cutoff_of(const json& test) {
  auto cutoff = number(test, "cutoff_score");
  if (!cutoff || *cutoff < 0) return std::nullopt;
  return cutoff;
}

std::optional<std::string> cutoff_grade(const json& candidate, double cutoff, CutoffUnit unit) {
  std::optional<double> reached;
  switch (unit) {
    case CutoffUnit::off:
      return std::nullopt;
    case CutoffUnit::points: {
      reached = number(candidate, "score");
      auto max = number(candidate, "max_score");
      if (max && *max > 0 && cutoff > *max) return std::nullopt;
      break;
    }
    case CutoffUnit::percent:
      reached = percentage(candidate);
      break;
  }
  if (!reached) return std::nullopt;
  return std::string(*reached >= cutoff ? "top_fit" : "might_not_be_fit");
}

}  // namespace ttb::hackerrank
