#include "result_card.h"

#include <sstream>

namespace ttb::demo {
namespace {

std::string text_of(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "-";
  return value.dump();
}

}  // namespace

std::string render_card(const std::string& title, const nlohmann::json& attributes) {
  std::ostringstream out;
  const auto field = [&](const char* key) {
    auto it = attributes.find(key);
    return it == attributes.end() ? std::string("-") : text_of(*it);
  };
  std::string score = "-";
  if (auto a = attributes.find("assessment"); a != attributes.end() && a->is_object()) {
    if (auto s = a->find("score"); s != a->end()) score = text_of(*s) + " / 100";
  }
  out << "    +-- " << title << "\n"
      << "    | status:      " << field("status") << "\n"
      << "    | score:       " << score << "\n"
      << "    | summary:     " << field("summary") << "\n"
      << "    | report link: " << field("url") << "\n";
  auto attachments = attributes.find("attachments");
  if (attachments != attributes.end() && attachments->is_array() && !attachments->empty()) {
    out << "    | attachments:\n";
    for (const auto& a : *attachments) {
      out << "    |   - " << text_of(a.value("description", nlohmann::json())) << "\n"
          << "    |     " << text_of(a.value("url", nlohmann::json())) << "\n";
    }
  } else {
    out << "    | attachments: -\n";
  }
  auto details = attributes.find("details");
  if (details != attributes.end() && details->is_object() && !details->empty()) {
    out << "    | details:\n";
    for (const auto& [key, value] : details->items()) {
      if (!value.is_object()) {
        out << "    |   " << key << ": " << text_of(value) << "\n";
        continue;
      }
      out << "    |   " << key << ":\n";  // Teamtailor allows one nested level
      for (const auto& [inner, inner_value] : value.items()) {
        out << "    |     " << inner << ": " << text_of(inner_value) << "\n";
      }
    }
  } else {
    out << "    | details:     -\n";
  }
  // The card's buttons; a final card has none (Teamtailor keeps what it was last given).
  if (auto actions = attributes.find("actions"); actions != attributes.end()) {
    std::string buttons;
    for (const auto& a : actions->is_array() ? *actions : nlohmann::json::array()) {
      if (!buttons.empty()) buttons += ", ";
      buttons += text_of(a.value("buttonText", nlohmann::json()));
      buttons += " [";
      buttons += text_of(a.value("endpoint", nlohmann::json()));
      buttons += "]";
    }
    out << "    | buttons:     " << (buttons.empty() ? std::string("none") : buttons) << "\n";
  }
  out << "    +--\n";
  return out.str();
}

}  // namespace ttb::demo
