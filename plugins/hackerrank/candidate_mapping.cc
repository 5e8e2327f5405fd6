#include "candidate_mapping.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "ttbridge/plugin.hpp"

namespace hackerrank {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxDetailEntries = 50;
constexpr std::size_t kMaxText = 1000;

std::string text(const json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<double> number(const json& object, const char* key) {
  if (!object.is_object()) return std::nullopt;
  auto it = object.find(key);
  if (it == object.end()) return std::nullopt;
  if (it->is_number()) {
    double v = it->get<double>();
    if (std::isfinite(v)) return v;
  }
  if (it->is_string()) {  // some HackerRank fields arrive as "42.5"
    const std::string& s = it->get_ref<const std::string&>();
    char* end = nullptr;
    double v = std::strtod(s.c_str(), &end);
    if (!s.empty() && end == s.c_str() + s.size() && std::isfinite(v)) return v;
  }
  return std::nullopt;
}

bool is_http_url(const std::string& s) {
  return s.rfind("https://", 0) == 0 || s.rfind("http://", 0) == 0;
}

// Cuts at a UTF-8 character boundary.
std::string clip(std::string s, std::size_t max = kMaxText) {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s + "...";
}

double round2(double v) {
  return std::round(v * 100.0) / 100.0;
}

std::string format_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", round2(v));
  std::string s(buf);
  while (s.find('.') != std::string::npos && (s.back() == '0' || s.back() == '.')) {
    bool dot = s.back() == '.';
    s.pop_back();
    if (dot) break;
  }
  return s;
}

// "80% (8/10)", "8 points" or "" from one scored entry.
std::string score_text(const json& entry) {
  auto score = number(entry, "score");
  auto max = number(entry, "max_score");
  if (score && max && *max > 0)
    return format_number(*score * 100.0 / *max) + "% (" + format_number(*score) + "/" +
           format_number(*max) + ")";
  if (auto pct = number(entry, "percentage_score")) return format_number(*pct) + "%";
  if (score) return format_number(*score) + " points";
  return {};
}

// One {name: "80% (8/10)"} entry per element of a split: an object keyed by name (values a
// number or {score, max_score}), or an array of {name|title, score, max_score}.
json split_details(const json& split) {
  json out = json::object();
  auto add = [&out](std::string name, const std::string& value) {
    if (name.empty() || value.empty() || out.size() >= kMaxDetailEntries) return;
    name = clip(name, 200);
    std::string key = name;
    for (int n = 2; out.contains(key); ++n) key = name + " (" + std::to_string(n) + ")";
    out[key] = value;
  };
  if (split.is_object()) {
    for (const auto& [key, value] : split.items()) {
      if (value.is_number()) {
        add(key, format_number(value.get<double>()));
      } else if (value.is_object()) {
        std::string name = text(value, "name");
        add(name.empty() ? key : name, score_text(value));
      }
    }
  } else if (split.is_array()) {
    for (const json& value : split) {
      std::string name = text(value, "name");
      if (name.empty()) name = text(value, "title");
      add(name, score_text(value));
    }
  }
  return out;
}

// percentage_score, clamped to 0..100; else score / max_score (the candidate's, or the sum over
// its questions).
json score_of(const json& c) {
  std::optional<double> pct = number(c, "percentage_score");
  if (!pct) {
    auto score = number(c, "score");
    auto max = number(c, "max_score");
    if (!max) {
      double sum = 0;
      if (auto q = c.find("questions"); q != c.end() && (q->is_object() || q->is_array()))
        for (const auto& item : q->items())
          if (auto m = number(item.value(), "max_score")) sum += *m;
      if (sum > 0) max = sum;
    }
    if (score && max && *max > 0) pct = *score * 100.0 / *max;
  }
  if (!pct) return nullptr;
  return round2(std::clamp(*pct, 0.0, 100.0));
}

}  // namespace

std::optional<int> candidate_status(const json& c) {
  auto v = number(c, "status");
  if (!v || *v != std::floor(*v) || *v < -1000 || *v > 1000) return std::nullopt;
  return static_cast<int>(*v);
}

std::optional<std::string> pdf_link_from(const json& answer) {
  std::string url;
  if (answer.is_string())
    url = answer.get<std::string>();
  else if (!(url = text(answer, "url")).empty()) {
  } else
    url = text(answer, "pdf_url");
  if (!is_http_url(url)) return std::nullopt;
  return url;
}

json map_candidate(const json& c, const OrderRef& order,
                   const std::optional<std::string>& pdf_url) {
  if (!c.is_object())
    throw ttb::sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
                          "HackerRank's candidate is not a JSON object");
  auto status = candidate_status(c);
  if (!status)
    throw ttb::sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
                          "HackerRank's candidate has no numeric status");

  json u = {
      {"order_id", order.order_id}, {"vendor_order_id", order.vendor_order_id()},
      {"score", nullptr},           {"attachments", json::array()},
      {"details", json::object()},  {"vendor_state", order.vendor_state()},
  };
  if (order.order_id.empty()) u.erase("order_id");
  if (std::string link = text(c, "invite_link"); is_http_url(link)) u["candidate_url"] = link;

  const auto valid = c.find("invite_valid");
  const bool invite_valid = valid == c.end() || !valid->is_boolean() || valid->get<bool>();

  if (*status == kStatusReportReady) {
    u["status"] = "completed";
    u["score"] = score_of(c);
  } else if (*status <= kStatusInvited) {
    // -1 is "invited"; lower values are undocumented and read the same way.
    if (invite_valid) {
      u["status"] = "sent";
      u["summary"] = "Invitation sent; the candidate has not started the test yet.";
    } else {
      u["status"] = "failed";
      u["failure_reason"] = "expired";
      u["summary"] =
          "The invitation expired or was withdrawn before the candidate started the test.";
    }
    return u;
  } else {
    // 0..6 are HackerRank's internal steps (attempt started, submitted, being evaluated);
    // anything above 7 is unknown and not yet a result either.
    u["status"] = "pending";
    u["summary"] =
        "The candidate has started the test; HackerRank has not finished the report yet.";
  }

  // Result fields: present once the candidate has submitted; HackerRank may send them early.
  std::string summary;
  if (*status == kStatusReportReady) {
    summary = u["score"].is_null()
                  ? "Test completed."
                  : "Test completed with " + format_number(u["score"].get<double>()) + "%.";
  } else {
    summary = u["summary"].get<std::string>();
  }
  if (std::string perf = text(c, "performance_summary"); !perf.empty()) summary += " " + perf;
  std::string integrity = text(c, "integrity_status");
  if (!integrity.empty()) summary += " Integrity: " + integrity + ".";
  u["summary"] = clip(summary);

  std::string report = text(c, "authenticated_report_url");
  if (!is_http_url(report)) report = text(c, "report_url");
  if (is_http_url(report)) u["report_url"] = report;

  // Only the pdf endpoint's link counts: while it answers 503 the PDF is not rendered yet, and a
  // later callback or poll adds it (the event id changes when it appears).
  if (pdf_url && is_http_url(*pdf_url))
    u["attachments"].push_back({{"url", *pdf_url}, {"description", "HackerRank report (PDF)"}});

  // details: at most two levels, as Teamtailor requires.
  json details = json::object();
  if (auto s = c.find("scores_sections_split"); s != c.end()) {
    json sections = split_details(*s);
    if (!sections.empty()) details["sections"] = std::move(sections);
  }
  if (!details.contains("sections")) {
    if (auto q = c.find("questions"); q != c.end()) {
      json questions = split_details(*q);
      if (!questions.empty()) details["questions"] = std::move(questions);
    }
  }
  if (!integrity.empty()) details["integrity"] = integrity;
  if (std::string v = text(c, "attempt_starttime"); !v.empty()) details["started_at"] = v;
  if (std::string v = text(c, "attempt_endtime"); !v.empty()) details["finished_at"] = v;
  u["details"] = std::move(details);
  return u;
}

std::string callback_event_id(const json& c, const OrderRef& order, bool has_pdf) {
  auto status = candidate_status(c);
  json score = score_of(c);
  return order.vendor_order_id() + ":" + (status ? std::to_string(*status) : "?") + ":" +
         (score.is_null() ? "-" : format_number(score.get<double>())) + ":" +
         (has_pdf ? "pdf" : "nopdf");
}

}  // namespace hackerrank
