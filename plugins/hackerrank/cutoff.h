#pragma once
// Pass or fail against the test's cutoff score (docs/protocols/hackerrank.md, "Cutoff"):
// HackerRank documents a test's `cutoff_score` but not its unit, so the unit is a setting
// (`cutoff_unit`), points by default. The verdict becomes the card's grade. Pure functions.

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ttb::hackerrank {

enum class CutoffUnit {
  points,   // compared with the candidate's `score` (the reading the docs support best)
  percent,  // compared with the candidate's percentage (as the card's score)
  off,      // no grade from the cutoff
};

// "points" | "percent" | "off"; nullopt for anything else.
std::optional<CutoffUnit> parse_cutoff_unit(std::string_view text);

// The test's cutoff_score when it is a number of at least 0; nullopt when absent, null or not
// one (the test has no cutoff).
std::optional<double> cutoff_of(const nlohmann::json& test);

// "top_fit" when the finished candidate reached the cutoff, "might_not_be_fit" when not; nullopt
// when there is no cutoff, the unit is off, or the candidate has no score in that unit. With
// points, a cutoff above the candidate's max_score cannot be points: no verdict then either.
std::optional<std::string> cutoff_grade(const nlohmann::json& candidate, double cutoff,
                                        CutoffUnit unit);

}  // namespace ttb::hackerrank
