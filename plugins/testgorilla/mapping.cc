#include "mapping.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "ttbridge/plugin.hpp"

namespace ttb::testgorilla {

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
  if (it == object.end() || !it->is_number()) return std::nullopt;
  double v = it->get<double>();
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

// Cuts at a UTF-8 character boundary.
std::string clip(std::string s, std::size_t max = kMaxText) {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s + "...";
}

std::string format_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", std::round(v * 100.0) / 100.0);
  std::string s(buf);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool is_digits(const std::string& s) {
  return !s.empty() && s.size() <= 18 &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return c >= '0' && c <= '9'; });
}

[[noreturn]] void bad(const std::string& message) {
  throw sdk::Error(TTB_STATUS_INVALID, "order request: " + message);
}

std::string optional_text(const json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return {};
  if (it->is_string()) return it->get<std::string>();
  return id_text(*it);
}

const json* results_array(const json& page) {
  if (!page.is_object()) return nullptr;
  auto it = page.find("results");
  return it != page.end() && it->is_array() ? &*it : nullptr;
}

bool scored(const json& result) {
  const std::string algorithm = text(result, "algorithm");
  return (algorithm == "basic" || algorithm == "custom_questions") && number(result, "score");
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

json base_update(const OrderRef& order) {
  json u = {{"vendor_order_id", order.vendor_order_id()},
            {"score", nullptr},
            {"attachments", json::array()},
            {"details", json::object()},
            {"vendor_state", order.vendor_state()}};
  if (!order.order_id.empty()) u["order_id"] = order.order_id;
  return u;
}

}  // namespace

// ---- ttbridge → TestGorilla

std::string id_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  if (value.is_number_unsigned()) return std::to_string(value.get<unsigned long long>());
  return {};
}

bool same_email(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

OrderRequest parse_order_request(std::string_view request_json) {
  json r = json::parse(request_json, nullptr, false);
  if (r.is_discarded() || !r.is_object()) bad("not a JSON object");
  OrderRequest o;
  o.order_id = optional_text(r, "order_id");
  if (o.order_id.empty()) bad("`order_id` is required");
  o.assessment_id = optional_text(r, "test_id");
  if (o.assessment_id.empty()) bad("`test_id` is required");
  if (!is_digits(o.assessment_id)) bad("`test_id` must be a TestGorilla assessment id (digits)");
  auto cand = r.find("candidate");
  if (cand == r.end() || !cand->is_object()) bad("`candidate` is required");
  o.email = optional_text(*cand, "email");
  if (o.email.empty()) bad("`candidate.email` is required");
  if (o.email.find('@') == std::string::npos ||
      o.email.find_first_of(" \t\r\n") != std::string::npos)
    bad("`candidate.email` is not an e-mail address");
  o.first_name = optional_text(*cand, "first_name");
  o.last_name = optional_text(*cand, "last_name");
  return o;
}

json build_invite_body(const OrderRequest& o) {
  json body = {{"email", o.email}};
  if (!o.first_name.empty()) body["first_name"] = o.first_name;
  if (!o.last_name.empty()) body["last_name"] = o.last_name;
  return body;
}

json OrderRef::vendor_state() const {
  json state = {{"assessment_id", assessment_id}, {"candidature_id", candidature_id}};
  if (!test_taker_id.empty()) state["test_taker_id"] = test_taker_id;
  if (!email.empty()) state["email"] = email;
  return state;
}

OrderRef ref_from_candidature(const std::string& order_id, const std::string& assessment_id,
                              const json& c) {
  OrderRef ref;
  ref.order_id = order_id;
  ref.assessment_id = assessment_id;
  ref.candidature_id = c.is_object() && c.contains("id") ? id_text(c["id"]) : "";
  if (ref.candidature_id.empty())
    throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE, "TestGorilla's candidature has no id");
  if (c.contains("test_taker")) {
    const json& tt = c["test_taker"];
    ref.test_taker_id = tt.is_object() && tt.contains("id") ? id_text(tt["id"]) : id_text(tt);
  }
  if (ref.test_taker_id.empty()) ref.test_taker_id = optional_text(c, "test_taker_id");
  ref.email = text(c, "email");
  return ref;
}

OrderRef parse_order_context(std::string_view order_json) {
  json c = json::parse(order_json, nullptr, false);
  if (c.is_discarded() || !c.is_object())
    throw sdk::Error(TTB_STATUS_INVALID, "order context: not a JSON object");
  OrderRef ref;
  ref.order_id = optional_text(c, "order_id");
  if (auto vs = c.find("vendor_state"); vs != c.end() && vs->is_object()) {
    ref.assessment_id = optional_text(*vs, "assessment_id");
    ref.candidature_id = optional_text(*vs, "candidature_id");
    ref.test_taker_id = optional_text(*vs, "test_taker_id");
    ref.email = optional_text(*vs, "email");
  }
  if (ref.assessment_id.empty() || ref.candidature_id.empty()) {
    const std::string vid = optional_text(c, "vendor_order_id");
    auto slash = vid.find('/');
    if (slash != std::string::npos && slash > 0 && slash + 1 < vid.size()) {
      ref.assessment_id = vid.substr(0, slash);
      ref.candidature_id = vid.substr(slash + 1);
    }
  }
  if (ref.email.empty())
    if (auto cand = c.find("candidate"); cand != c.end() && cand->is_object())
      ref.email = optional_text(*cand, "email");
  if (!is_digits(ref.assessment_id) || !is_digits(ref.candidature_id))
    throw sdk::Error(TTB_STATUS_INVALID,
                     "order context: neither vendor_state nor vendor_order_id names the "
                     "TestGorilla candidature");
  if (!ref.test_taker_id.empty() && !is_digits(ref.test_taker_id)) ref.test_taker_id.clear();
  return ref;
}

// ---- TestGorilla → ttbridge

void append_assessments(const json& page, json& tests) {
  const json* items = results_array(page);
  if (!items)
    throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
                     "TestGorilla's assessment list has no `results` array");
  for (const json& item : *items) {
    if (!item.is_object() || lower(text(item, "status")) == "archived") continue;
    std::string id = item.contains("id") ? id_text(item["id"]) : "";
    if (!is_digits(id)) continue;
    std::string name = text(item, "name");
    std::string description;
    if (auto n = number(item, "candidates"))
      description = format_number(*n) + " candidate(s) invited so far";
    tests.push_back({{"id", id},
                     {"name", name.empty() ? "TestGorilla assessment " + id : clip(name, 200)},
                     {"kind", "assessment"},
                     {"description", description},
                     {"duration_minutes", nullptr}});
  }
}

std::optional<json> find_candidature(const json& page, const std::string& candidature_id,
                                     const std::string& email) {
  const json* items = results_array(page);
  if (!items)
    throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
                     "TestGorilla's candidate list has no `results` array");
  for (const json& item : *items) {
    if (!item.is_object()) continue;
    if (!candidature_id.empty()) {
      if (item.contains("id") && id_text(item["id"]) == candidature_id) return item;
    } else if (same_email(text(item, "email"), email)) {
      return item;
    }
  }
  return std::nullopt;
}

bool has_more(const json& page, std::size_t seen) {
  const json* items = results_array(page);
  if (!items || items->empty()) return false;
  if (auto next = page.find("next"); next != page.end()) return next->is_string();
  auto count = number(page, "count");
  return count && static_cast<double>(seen) < *count;
}

std::string candidature_status(const json& c) {
  return lower(text(c, "status"));
}

json score_of(const json& results) {
  const json* items = results_array(results);
  if (!items) return nullptr;
  double sum = 0;
  int n = 0;
  for (const json& r : *items) {
    if (!scored(r)) continue;
    sum += *number(r, "score");
    ++n;
  }
  if (n == 0) return nullptr;
  return std::round(std::clamp(sum / n, 0.0, 100.0) * 100.0) / 100.0;
}

json map_candidature(const json& c, const std::optional<json>& results, const OrderRef& order,
                     const std::string& report_url_template) {
  if (!c.is_object())
    throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
                     "TestGorilla's candidature is not a JSON object");
  json u = base_update(order);
  // The candidate's own link, when the list gives it (not in the reference; seen in answers).
  if (std::string link = text(c, "invitation_link");
      link.rfind("https://", 0) == 0 || link.rfind("http://", 0) == 0)
    u["candidate_url"] = link;
  const std::string status = candidature_status(c);
  if (status == "invited") {
    u["status"] = "sent";
    u["summary"] = "Invitation sent; the candidate has not started the assessment yet.";
    return u;
  }
  if (status == "started") {
    u["status"] = "pending";
    u["summary"] = "The candidate has started the assessment.";
    return u;
  }
  if (status == "disqualified") {
    u["status"] = "failed";
    u["failure_reason"] = "rejected";
    u["summary"] = "TestGorilla disqualified the candidate from the assessment.";
    return u;
  }
  if (status != "completed") {
    // An undocumented status says nothing we can show; keep the order where it is.
    u["summary"] = "TestGorilla reports the status '" + clip(status, 40) + "'.";
    return u;
  }

  u["status"] = "completed";
  u["score"] = results ? score_of(*results) : json(nullptr);
  json tests = json::object();
  int scored_tests = 0;
  if (const json* items = results ? results_array(*results) : nullptr) {
    for (const json& r : *items) {
      if (!r.is_object() || tests.size() >= kMaxDetailEntries) continue;
      std::string name = clip(text(r, "name"), 200);
      if (name.empty()) name = "Test " + (r.contains("test_id") ? id_text(r["test_id"]) : "?");
      std::string value;
      if (scored(r)) {
        value = format_number(*number(r, "score")) + "%";
        ++scored_tests;
      } else if (std::string shown = text(r, "score_display"); !shown.empty()) {
        value = clip(shown, 200) + " (" + text(r, "algorithm") + ")";
      } else {
        value = "no score";
      }
      std::string key = name;
      for (int n = 2; tests.contains(key); ++n) key = name + " (" + std::to_string(n) + ")";
      tests[key] = value;
    }
  }
  std::string summary = u["score"].is_null()
                            ? "Assessment completed; no test in it gives a score."
                            : "Assessment completed: " + format_number(u["score"].get<double>()) +
                                  "% on average over " + std::to_string(scored_tests) +
                                  " scored test(s).";
  u["summary"] = clip(summary);
  json details = json::object();
  if (!tests.empty()) details["tests"] = std::move(tests);
  if (auto avg = number(c, "avg_score")) details["testgorilla_average"] = *avg;
  if (std::string stage = text(c, "stage"); !stage.empty()) details["stage"] = clip(stage, 40);
  u["details"] = std::move(details);

  if (!report_url_template.empty()) {
    std::string url = replace_all(report_url_template, "{assessment_id}", order.assessment_id);
    url = replace_all(url, "{candidature_id}", order.candidature_id);
    url = replace_all(url, "{test_taker_id}", order.test_taker_id);
    u["report_url"] = url;
  }
  return u;
}

json candidature_gone_update(const OrderRef& order) {
  json u = base_update(order);
  u["status"] = "failed";
  u["failure_reason"] = "cancelled";
  u["summary"] =
      "The candidate is no longer in the TestGorilla assessment (removed at TestGorilla).";
  return u;
}

json cancelled_update(const OrderRef& order) {
  json u = base_update(order);
  u["status"] = "failed";
  u["failure_reason"] = "cancelled";
  u["summary"] = "The TestGorilla invitation was cancelled.";
  return u;
}

}  // namespace ttb::testgorilla
