#pragma once
// Renders a partner result (the attributes ttbridged wrote to Teamtailor) as the card a recruiter
// sees on the candidate's profile: status, score, summary, report link, attachments, details,
// and its buttons.

#include <string>

#include <nlohmann/json.hpp>

namespace ttb::demo {

std::string render_card(const std::string& title, const nlohmann::json& attributes);

}  // namespace ttb::demo
