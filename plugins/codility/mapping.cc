#include "mapping.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "ttbridge/plugin.hpp"
#include "ttbridge/test_list.hpp"
#include "ttbridge/url.hpp"

namespace ttb::codility {

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
  if (it->is_string()) {  // tolerate "42" as well as 42
    const std::string& s = it->get_ref<const std::string&>();
    char* end = nullptr;
    double v = std::strtod(s.c_str(), &end);
    if (!s.empty() && end == s.c_str() + s.size() && std::isfinite(v)) return v;
  }
  return std::nullopt;
}

// A date field counts as set when it is a non-empty string (Codility sends null until then).
bool has_date(const json& session, const char* key) {
  return !text(session, key).empty();
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
  while (s.find('.') != std::string::npos && (s.back() == '0' || s.back() == '.')) {
    bool dot = s.back() == '.';
    s.pop_back();
    if (dot) break;
  }
  return s;
}

// round(100 * result / max_result), clamped to 0..100; 0 when max_result is 0 (a test with no
// scored task); nullopt when `result` is missing.
std::optional<long long> percent(const json& scored) {
  auto result = number(scored, "result");
  auto max = number(scored, "max_result");
  if (!result) return std::nullopt;
  if (!max || *max <= 0) return 0;
  return std::llround(std::clamp(*result * 100.0 / *max, 0.0, 100.0));
}

// The evaluation object once scoring finished; nullptr before (null, absent, empty, or without
// a result).
const json* evaluation_of(const json& session) {
  auto it = session.find("evaluation");
  if (it == session.end() || !it->is_object() || it->empty()) return nullptr;
  if (!number(*it, "result")) return nullptr;
  return &*it;
}

// The similarity check in words, or "" while it has not run. Codility documents only that a
// callback follows the check; the field may be a flag, a word or an object.
std::string similarity_text(const json& session) {
  auto it = session.find("similarity");
  if (it == session.end() || it->is_null()) return {};
  if (it->is_boolean()) return it->get<bool>() ? "flagged" : "clear";
  if (it->is_string()) return clip(it->get<std::string>(), 100);
  if (it->is_object()) {
    for (const char* key : {"status", "result", "state"})
      if (std::string v = text(*it, key); !v.empty()) return clip(v, 100);
    if (auto f = it->find("is_similar"); f != it->end() && f->is_boolean())
      return f->get<bool>() ? "flagged" : "clear";
  }
  return {};
}

// Whether the similarity check found likely plagiarism.
bool similarity_flagged(const std::string& word) {
  return word == "flagged" || word == "suspicious" || word == "similar" || word == "plagiarism" ||
         word == "detected";
}

// One {"<task> (<language>)": "80% (40/50)"} entry per task.
json task_details(const json& evaluation) {
  json out = json::object();
  auto tasks = evaluation.find("tasks");
  if (tasks == evaluation.end() || !tasks->is_array()) return out;
  for (const json& task : *tasks) {
    if (!task.is_object() || out.size() >= kMaxDetailEntries) continue;
    std::string name = text(task, "name");
    if (name.empty()) name = text(task, "task_name");
    if (name.empty()) continue;
    name = clip(name, 200);
    if (std::string lang = text(task, "prg_lang"); !lang.empty()) name += " (" + lang + ")";
    std::string value;
    auto result = number(task, "result");
    auto max = number(task, "max_result");
    if (result && max && *max > 0)
      value = format_number(static_cast<double>(*percent(task))) + "% (" + format_number(*result) +
              "/" + format_number(*max) + ")";
    else if (result)
      value = format_number(*result) + " points";
    else
      value = "not scored";
    std::string key = name;
    for (int n = 2; out.contains(key); ++n) key = name + " (" + std::to_string(n) + ")";
    out[key] = value;
  }
  return out;
}

[[noreturn]] void bad(const std::string& message) {
  throw sdk::Error(TTB_STATUS_INVALID, "order request: " + message);
}

std::string optional_text(const json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number()) return id_text(*it);
  return {};
}

std::string required_text(const json& object, const char* key, const char* where) {
  std::string v = optional_text(object, key);
  if (v.empty()) bad(std::string("`") + where + "` is required");
  return v;
}

json base_update(const OrderRef& order) {
  json u = {
      {"order_id", order.order_id}, {"vendor_order_id", order.session_id},
      {"score", nullptr},           {"attachments", json::array()},
      {"details", json::object()},  {"vendor_state", order.vendor_state()},
  };
  if (order.order_id.empty()) u.erase("order_id");
  return u;
}

}  // namespace

// ---- ttbridge → Codility

std::string id_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  if (value.is_number_unsigned()) return std::to_string(value.get<unsigned long long>());
  return {};
}

OrderRequest parse_order_request(std::string_view request_json) {
  json r = json::parse(request_json, nullptr, false);
  if (r.is_discarded() || !r.is_object()) bad("not a JSON object");
  OrderRequest o;
  o.order_id = required_text(r, "order_id", "order_id");
  o.test_id = required_text(r, "test_id", "test_id");
  o.callback_url = required_text(r, "callback_url", "callback_url");
  if (o.callback_url.rfind("https://", 0) != 0 && o.callback_url.rfind("http://", 0) != 0)
    bad("`callback_url` must be an http(s) URL");
  auto cand = r.find("candidate");
  if (cand == r.end() || !cand->is_object()) bad("`candidate` is required");
  const json& c = *cand;
  o.email = required_text(c, "email", "candidate.email");
  o.candidate_id = optional_text(c, "id");
  o.first_name = optional_text(c, "first_name");
  o.last_name = optional_text(c, "last_name");
  o.phone = optional_text(c, "phone");
  auto job = r.find("job");
  if (job != r.end() && job->is_object()) {
    o.job_id = optional_text(*job, "id");
    o.job_title = optional_text(*job, "title");
  }
  return o;
}

json build_invite_body(const OrderRequest& o, const std::string& callback_url) {
  // `additional_data` is a string; Codility shows it to recruiters with the session.
  json extra = json::object();
  if (!o.candidate_id.empty()) extra["teamtailor_candidate_id"] = o.candidate_id;
  if (!o.job_id.empty()) extra["teamtailor_job_id"] = o.job_id;
  if (!o.job_title.empty()) extra["job"] = o.job_title;
  if (!o.phone.empty()) extra["phone"] = o.phone;

  json candidate = {{"id", o.order_id}, {"email", o.email}};
  if (!o.first_name.empty()) candidate["first_name"] = o.first_name;
  if (!o.last_name.empty()) candidate["last_name"] = o.last_name;
  if (!extra.empty())
    candidate["additional_data"] = extra.dump(-1, ' ', false, json::error_handler_t::replace);
  return json{{"candidates", json::array({candidate})},
              {"event_callbacks", json::array({{{"event", "result"}, {"url", callback_url}},
                                               {{"event", "similarity"}, {"url", callback_url}}})}};
}

std::string session_id_from_url(std::string_view url) {
  if (auto q = url.find_first_of("?#"); q != std::string_view::npos) url = url.substr(0, q);
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  // Only a segment of the path counts, never the host of a URL without one.
  std::size_t path_start = 0;
  if (auto scheme = url.find("://"); scheme != std::string_view::npos) {
    path_start = url.find('/', scheme + 3);
    if (path_start == std::string_view::npos) return {};
  }
  auto slash = url.rfind('/');
  if (slash == std::string_view::npos || slash < path_start) return {};
  std::string_view last = url.substr(slash + 1);
  if (last.empty()) return {};
  return std::string(last);
}

std::string session_id_of(const json& session) {
  if (!session.is_object()) return {};
  if (auto it = session.find("id"); it != session.end()) {
    if (std::string id = id_text(*it); !id.empty()) return id;
  }
  for (const char* key : {"url", "session_url"})
    if (std::string id = session_id_from_url(text(session, key)); !id.empty()) return id;
  return {};
}

json OrderRef::vendor_state() const {
  return json{{"session_id", session_id}};
}

json invite_update(const OrderRequest& o, const json& answer) {
  auto list = answer.is_object() ? answer.find("candidates") : json::const_iterator();
  if (!answer.is_object() || list == answer.end() || !list->is_array() || list->empty())
    throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
                     "Codility's invite answer has no `candidates` list");
  const json* mine = list->size() == 1 ? &list->front() : nullptr;
  for (const json& c : *list)
    if (c.is_object() && c.contains("id") && id_text(c["id"]) == o.order_id) mine = &c;
  std::string session_id = mine ? session_id_from_url(text(*mine, "session_url")) : "";
  std::string link = mine ? text(*mine, "test_link") : "";
  if (session_id.empty() || !sdk::is_http_url(link))
    throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
                     "Codility's invite answer has no session_url or test_link for the order");
  OrderRef ref{o.order_id, session_id};
  json u = base_update(ref);
  u["status"] = "sent";
  u["summary"] = "Invitation sent; the candidate has not started the test yet.";
  u["candidate_url"] = link;
  return u;
}

OrderRef parse_order_context(std::string_view order_json) {
  json c = json::parse(order_json, nullptr, false);
  if (c.is_discarded() || !c.is_object())
    throw sdk::Error(TTB_STATUS_INVALID, "order context: not a JSON object");
  OrderRef ref;
  if (auto it = c.find("order_id"); it != c.end()) ref.order_id = id_text(*it);
  if (auto vs = c.find("vendor_state"); vs != c.end() && vs->is_object())
    if (auto it = vs->find("session_id"); it != vs->end()) ref.session_id = id_text(*it);
  if (ref.session_id.empty())
    if (auto it = c.find("vendor_order_id"); it != c.end()) ref.session_id = id_text(*it);
  if (ref.session_id.empty() || ref.session_id.find('/') != std::string::npos)
    throw sdk::Error(
        TTB_STATUS_INVALID,
        "order context: neither vendor_state nor vendor_order_id names the Codility session");
  return ref;
}

// ---- Codility → ttbridge

void append_invitable_tests(const json& page, json& tests) {
  auto results = page.is_object() ? page.find("results") : page.end();
  if (!page.is_object() || results == page.end() || !results->is_array())
    throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE, "Codility's test list has no `results` array");
  for (const json& item : *results) {
    if (!item.is_object()) continue;
    if (auto a = item.find("is_archived"); a != item.end() && a->is_boolean() && a->get<bool>())
      continue;
    std::string id = item.contains("id") ? id_text(item["id"]) : "";
    if (!sdk::is_valid_test_id(id)) continue;  // else the host refuses the whole list
    std::string name = text(item, "name");
    tests.push_back({{"id", id},
                     {"name", name.empty() ? "Codility test " + id : clip(name, 200)},
                     {"kind", "assessment"},
                     {"description", ""},
                     // Codility's test list gives no duration.
                     {"duration_minutes", nullptr}});
  }
}

bool session_belongs_to(const json& session, const std::string& order_id) {
  if (!session.is_object() || order_id.empty()) return false;
  auto it = session.find("candidate");
  if (it == session.end()) return false;
  // `candidate` is our reference as given in the invite; some answers nest it as {id}.
  if (it->is_object()) return it->contains("id") && id_text((*it)["id"]) == order_id;
  return id_text(*it) == order_id;
}

std::optional<json> find_order_session(const json& page, const std::string& order_id) {
  auto results = page.is_object() ? page.find("results") : page.end();
  if (!page.is_object() || results == page.end() || !results->is_array())
    throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
                     "Codility's session list has no `results` array");
  for (const json& s : *results)
    if (session_belongs_to(s, order_id) && !session_id_of(s).empty()) return s;
  return std::nullopt;
}

json map_session(const json& s, const OrderRef& order) {
  if (!s.is_object())
    throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE, "Codility's session is not a JSON object");
  json u = base_update(order);
  if (std::string link = text(s, "test_link"); sdk::is_http_url(link)) u["candidate_url"] = link;

  const json* evaluation = evaluation_of(s);
  const bool started = has_date(s, "start_date");
  const bool closed = has_date(s, "close_date");
  const std::string similarity = similarity_text(s);

  if (evaluation == nullptr && !started) {
    if (closed) {
      // Closed without ever being started: the invitation ran out.
      u["status"] = "failed";
      u["failure_reason"] = "expired";
      u["summary"] = "The test was closed before the candidate started it.";
    } else {
      u["status"] = "sent";
      u["summary"] = "Invitation sent; the candidate has not started the test yet.";
    }
    return u;
  }
  if (evaluation == nullptr) {
    u["status"] = "pending";
    u["summary"] = closed ? "The candidate has finished the test; Codility is scoring it."
                          : "The candidate has started the test.";
    json details = json::object();
    if (std::string v = text(s, "start_date"); !v.empty()) details["started_at"] = v;
    u["details"] = std::move(details);
    return u;
  }

  u["status"] = "completed";
  auto score = percent(*evaluation);
  u["score"] = score ? json(*score) : json(nullptr);
  std::string summary =
      score ? "Test completed with " + std::to_string(*score) + "%" : std::string("Test completed");
  if (auto r = number(*evaluation, "result"), m = number(*evaluation, "max_result");
      r && m && *m > 0)
    summary += " (" + format_number(*r) + "/" + format_number(*m) + " points)";
  summary += ".";
  // Nothing is said while the check has not run: the engine keeps a completed card as it is, so
  // a "pending" here could stay on the card after the check finished.
  if (similarity.empty()) {
  } else if (similarity_flagged(similarity))
    summary += " Similarity check: flagged as possible plagiarism; review the report.";
  else
    summary += " Similarity check: " + similarity + ".";
  u["summary"] = clip(summary);

  if (std::string report = text(s, "report_link"); sdk::is_http_url(report))
    u["report_url"] = report;
  if (std::string pdf = text(s, "pdf_report_url"); sdk::is_http_url(pdf))
    u["attachments"].push_back({{"url", pdf}, {"description", "Codility report (PDF)"}});

  json details = json::object();
  if (json tasks = task_details(*evaluation); !tasks.empty()) details["tasks"] = std::move(tasks);
  if (!similarity.empty()) details["similarity"] = similarity;
  if (std::string v = text(s, "start_date"); !v.empty()) details["started_at"] = v;
  if (std::string v = text(s, "close_date"); !v.empty()) details["finished_at"] = v;
  u["details"] = std::move(details);
  return u;
}

json gone_update(const OrderRef& order) {
  json u = base_update(order);
  u["status"] = "failed";
  u["failure_reason"] = "cancelled";
  u["summary"] = "Codility no longer has this test session; it was cancelled or deleted.";
  return u;
}

std::string callback_session_id(const json& body) {
  if (!body.is_object()) return {};
  if (auto it = body.find("session"); it != body.end()) {
    if (it->is_object()) return session_id_of(*it);
    if (it->is_string()) {
      const std::string& v = it->get_ref<const std::string&>();
      return sdk::is_http_url(v) ? session_id_from_url(v) : v;
    }
    return {};
  }
  return session_id_of(body);
}

std::string callback_event_id(const json& u) {
  const json& score = u.contains("score") ? u["score"] : json();
  std::string similarity;
  if (auto d = u.find("details"); d != u.end() && d->is_object())
    similarity = text(*d, "similarity");
  const bool pdf =
      u.contains("attachments") && u["attachments"].is_array() && !u["attachments"].empty();
  return u.value("vendor_order_id", "") + ":" + u.value("status", "") + ":" +
         (score.is_number() ? score.dump() : "-") + ":" + (similarity.empty() ? "-" : similarity) +
         ":" + (pdf ? "pdf" : "nopdf");
}

}  // namespace ttb::codility
