#pragma once
// The fake's own reading of docs/protocols/teamtailor.md, "Partner-result rules": which
// partner-result writes Teamtailor accepts. Written apart from core/teamtailor's validate() on
// purpose, so one mistake is not made twice.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ttb::fakes {

// Checks `attributes` of a PUT (update: no candidate-id) or POST (create: status and candidate-id
// required). Returns one JSON:API error detail per broken rule; empty when accepted.
std::vector<std::string> check_partner_result_attributes(const nlohmann::json& attributes,
                                                         bool create);

}  // namespace ttb::fakes
