#include "mapping.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string_view>
#include <vector>

#include "ttbridge/plugin.hpp"
#include "ttbridge/test_list.hpp"
#include "ttbridge/url.hpp"

namespace ttb::hackerrank {

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

// Test instructions can be pages of HTML; the pop-up wants a line. Cut at a UTF-8 boundary.
std::string short_description(std::string s) {
  constexpr std::size_t kMax = 280;
  if (s.size() <= kMax) return s;
  std::size_t n = kMax;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s + "...";
}

// `duration` is minutes; tolerate a numeric string or a float.
json duration_minutes(const json& item) {
  auto it = item.find("duration");
  if (it == item.end()) return nullptr;
  if (it->is_number_integer() || it->is_number_unsigned()) return it->get<long long>();
  if (it->is_number_float()) {
    // Cast only what a long long holds: 1e300 or NaN would be undefined behaviour.
    const double minutes = it->get<double>();
    if (!(minutes >= 0 && minutes <= 1e9)) return nullptr;
    return static_cast<long long>(minutes);
  }
  if (it->is_string()) {
    const std::string& s = it->get_ref<const std::string&>();
    if (!s.empty() && s.size() < 10 && s.find_first_not_of("0123456789") == std::string::npos)
      return std::stoll(s);
  }
  return nullptr;
}

// Seconds since the epoch of an ISO 8601 time as HackerRank writes its attempt times
// ("2025-03-01T10:00:00Z", optionally with fractions or a +hh:mm offset); nullopt otherwise.
std::optional<std::int64_t> iso_seconds(std::string_view s) {
  auto num = [&s](std::size_t at, std::size_t n) -> std::optional<int> {
    if (at + n > s.size()) return std::nullopt;
    int v = 0;
    for (std::size_t k = at; k < at + n; ++k) {
      if (s[k] < '0' || s[k] > '9') return std::nullopt;
      v = v * 10 + (s[k] - '0');
    }
    return v;
  };
  auto y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2),
       se = num(17, 2);
  if (!y || !mo || !d || !h || !mi || !se || s[4] != '-' || s[7] != '-' ||
      (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':' || *mo < 1 || *mo > 12 ||
      *d < 1 || *d > 31 || *h > 23 || *mi > 59 || *se > 60)
    return std::nullopt;
  std::size_t p = 19;
  if (p < s.size() && s[p] == '.')
    for (++p; p < s.size() && s[p] >= '0' && s[p] <= '9';) ++p;
  std::int64_t offset = 0;
  if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
    auto oh = num(p + 1, 2), om = num(p + 4, 2);
    if (!oh || !om || p + 6 != s.size()) return std::nullopt;
    offset = (s[p] == '-' ? -1 : 1) * (std::int64_t{*oh} * 3600 + std::int64_t{*om} * 60);
  } else if (p + 1 != s.size() || (s[p] != 'Z' && s[p] != 'z')) {
    return std::nullopt;  // no zone: ambiguous
  }
  // Days from the civil date (H. Hinnant's algorithm), then seconds.
  const int yy = *y - (*mo <= 2 ? 1 : 0);
  const int era = (yy >= 0 ? yy : yy - 399) / 400;
  const int yoe = yy - era * 400;
  const int doy = (153 * (*mo + (*mo > 2 ? -3 : 9)) + 2) / 5 + *d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const std::int64_t days = std::int64_t{era} * 146097 + doe - 719468;
  return days * 86400 + std::int64_t{*h} * 3600 + std::int64_t{*mi} * 60 + *se - offset;
}

// The time the candidate took (plugin ABI 1.1 duration_seconds), from the attempt's start and
// end; nullopt unless both are readable and in order.
std::optional<std::int64_t> attempt_seconds(const json& c) {
  auto start = iso_seconds(text(c, "attempt_starttime"));
  auto end = iso_seconds(text(c, "attempt_endtime"));
  if (!start || !end || *end < *start) return std::nullopt;
  return *end - *start;
}

}  // namespace

// ---- ttbridge → HackerRank

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
  const json empty = json::object();
  auto cand = r.find("candidate");
  const json& c = cand != r.end() && cand->is_object() ? *cand : empty;
  if (cand == r.end() || !cand->is_object()) bad("`candidate` is required");
  o.email = required_text(c, "email", "candidate.email");
  o.candidate_id = optional_text(c, "id");
  o.first_name = optional_text(c, "first_name");
  o.last_name = optional_text(c, "last_name");
  o.phone = optional_text(c, "phone");
  auto job = r.find("job");
  if (job != r.end() && job->is_object()) {
    o.job_id = optional_text(*job, "id");
    o.job_title = optional_text(*job, "title");
    o.job_stage = optional_text(*job, "stage");
  }
  return o;
}

json build_invite_body(const OrderRequest& o, bool send_email, const std::string& token) {
  std::string full_name = o.first_name;
  if (!o.last_name.empty()) full_name += (full_name.empty() ? "" : " ") + o.last_name;

  // Our ids travel with the invite so a HackerRank user can find the Teamtailor order, and so an
  // operator can match a candidate in HackerRank's UI to our timeline. HackerRank has no job or
  // phone field, so they go here too.
  json metadata = json::object();
  metadata["ttbridge_order_id"] = o.order_id;
  if (!o.candidate_id.empty()) metadata["teamtailor_candidate_id"] = o.candidate_id;
  if (!o.job_id.empty()) metadata["teamtailor_job_id"] = o.job_id;
  if (!o.job_title.empty()) metadata["job_title"] = o.job_title;
  if (!o.job_stage.empty()) metadata["job_stage"] = o.job_stage;
  if (!o.phone.empty()) metadata["phone"] = o.phone;

  json body = {
      {"email", o.email},
      {"send_email", send_email},
      {"test_result_url", o.callback_url},
      {"accept_result_updates", true},
      {"webhook_authentication", {{"type", "bearer_token"}, {"data", {{"token", token}}}}},
      {"invite_metadata", metadata},
  };
  if (!full_name.empty()) body["full_name"] = full_name;
  return body;
}

json invite_update(const OrderRequest& o, const json& answer, const std::string& token) {
  if (!answer.is_object())
    throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
                     "HackerRank's invite answer is not a JSON object");
  std::string candidate_id = answer.contains("id") ? id_text(answer["id"]) : "";
  std::string link;
  if (auto it = answer.find("test_link"); it != answer.end() && it->is_string())
    link = it->get<std::string>();
  if (candidate_id.empty() || link.empty())
    throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
                     "HackerRank's invite answer has no candidate id or test_link");
  return json{
      {"order_id", o.order_id},
      {"vendor_order_id", o.test_id + "/" + candidate_id},
      {"status", "sent"},
      {"score", nullptr},
      {"summary", "Invitation sent; the candidate has not started the test yet."},
      {"candidate_url", link},
      {"attachments", json::array()},
      {"details", json::object()},
      {"vendor_state", {{"test_id", o.test_id}, {"candidate_id", candidate_id}, {"token", token}}},
  };
}

json OrderRef::vendor_state() const {
  json state = {{"test_id", test_id}, {"candidate_id", candidate_id}};
  if (!token.empty()) state["token"] = token;
  return state;
}

OrderRef parse_order_context(std::string_view order_json) {
  json c = json::parse(order_json, nullptr, false);
  if (c.is_discarded() || !c.is_object())
    throw sdk::Error(TTB_STATUS_INVALID, "order context: not a JSON object");
  OrderRef ref;
  if (auto it = c.find("order_id"); it != c.end()) ref.order_id = id_text(*it);
  if (auto vs = c.find("vendor_state"); vs != c.end() && vs->is_object()) {
    if (auto it = vs->find("test_id"); it != vs->end()) ref.test_id = id_text(*it);
    if (auto it = vs->find("candidate_id"); it != vs->end()) ref.candidate_id = id_text(*it);
    if (auto it = vs->find("token"); it != vs->end() && it->is_string())
      ref.token = it->get<std::string>();
  }
  if (ref.test_id.empty() || ref.candidate_id.empty()) {
    // An order created before vendor_state was kept, or by hand: the vendor order id suffices.
    std::string vid;
    if (auto it = c.find("vendor_order_id"); it != c.end()) vid = id_text(*it);
    auto slash = vid.find('/');
    if (slash != std::string::npos && slash > 0 && slash + 1 < vid.size()) {
      ref.test_id = vid.substr(0, slash);
      ref.candidate_id = vid.substr(slash + 1);
    }
  }
  if (ref.test_id.empty() || ref.candidate_id.empty())
    throw sdk::Error(
        TTB_STATUS_INVALID,
        "order context: neither vendor_state nor vendor_order_id names the HackerRank candidate");
  return ref;
}

// ---- HackerRank → ttbridge

void append_invitable_tests(const json& page, json& tests) {
  auto data = page.is_object() ? page.find("data") : page.end();
  if (!page.is_object() || data == page.end() || !data->is_array())
    throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE, "HackerRank's test list has no `data` array");
  for (const json& item : *data) {
    if (!item.is_object()) continue;
    // Drafts cannot be invited to; a missing flag means published (older accounts omit it).
    if (auto d = item.find("draft"); d != item.end() && d->is_boolean() && d->get<bool>()) continue;
    if (text(item, "state") == "archived") continue;
    std::string id = item.contains("id") ? id_text(item["id"]) : "";
    if (!sdk::is_valid_test_id(id)) continue;  // else the host refuses the whole list
    std::string name = text(item, "name");
    json test = {
        {"id", id},
        {"name", name.empty() ? "HackerRank test " + id : name},
        {"kind", "assessment"},
        {"description", short_description(text(item, "instructions"))},
        {"duration_minutes", duration_minutes(item)},
    };
    tests.push_back(std::move(test));
  }
}

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
  if (!sdk::is_http_url(url)) return std::nullopt;
  return url;
}

json map_candidate(const json& c, const OrderRef& order,
                   const std::optional<std::string>& pdf_url) {
  if (!c.is_object())
    throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE, "HackerRank's candidate is not a JSON object");
  auto status = candidate_status(c);
  if (!status)
    throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE, "HackerRank's candidate has no numeric status");

  json u = {
      {"order_id", order.order_id}, {"vendor_order_id", order.vendor_order_id()},
      {"score", nullptr},           {"attachments", json::array()},
      {"details", json::object()},  {"vendor_state", order.vendor_state()},
  };
  if (order.order_id.empty()) u.erase("order_id");
  if (std::string link = text(c, "invite_link"); sdk::is_http_url(link)) u["candidate_url"] = link;

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
  if (!sdk::is_http_url(report)) report = text(c, "report_url");
  if (sdk::is_http_url(report)) u["report_url"] = report;

  // Only the pdf endpoint's link counts: while it answers 503 the PDF is not rendered yet, and a
  // later callback or poll adds it (the event id changes when it appears).
  if (pdf_url && sdk::is_http_url(*pdf_url))
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
  if (auto seconds = attempt_seconds(c)) u["duration_seconds"] = *seconds;
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

}  // namespace ttb::hackerrank
