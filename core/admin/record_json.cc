#include "admin/record_json.h"

#include <chrono>
#include <ctime>

#include <fmt/format.h>

#include "orders/result_view.h"

namespace ttb::admin {

using nlohmann::json;

std::string format_time(store::TimePoint at, bool with_millis) {
  using namespace std::chrono;
  const auto ms = duration_cast<milliseconds>(at.time_since_epoch()).count();
  if (ms == 0) return "";
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  std::string text = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", utc.tm_year + 1900,
                                 utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
  if (with_millis) text += fmt::format(".{:03}", ((ms % 1000) + 1000) % 1000);
  text += "Z";
  return text;
}

namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool in_local_part(char c) {
  return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool in_domain_label(char c) {
  return is_alnum(c) || c == '-';
}

// Where the domain after an '@' at `at` ends: labels joined by dots, at least two of them;
// `at` itself when there is no such domain.
std::size_t domain_end(const std::string& text, std::size_t at) {
  std::size_t end = at + 1;
  while (end < text.size() && in_domain_label(text[end])) ++end;
  if (end == at + 1) return at;
  std::size_t labels = 1;
  while (end + 1 < text.size() && text[end] == '.' && in_domain_label(text[end + 1])) {
    end += 2;
    while (end < text.size() && in_domain_label(text[end])) ++end;
    ++labels;
  }
  return labels >= 2 ? end : at;
}

}  // namespace

// One pass from each '@' outwards, the addresses that
// [A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+ matches. Not std::regex: libstdc++'s
// matcher recurses once per character and is quadratic here: a vendor's 30,000-character token
// in a job's error overflowed the stack of the daemon's operator API, or the CLI, listing it.
std::string without_personal_data(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  std::size_t copied = 0;  // text before this is in `out`, as itself or as "<email>"
  for (std::size_t at = text.find('@'); at != std::string::npos; at = text.find('@', at + 1)) {
    std::size_t start = at;
    while (start > copied && in_local_part(text[start - 1])) --start;
    if (start == at) continue;
    const std::size_t end = domain_end(text, at);
    if (end == at) continue;
    out.append(text, copied, start - copied);
    out += "<email>";
    copied = end;
    at = end - 1;
  }
  out.append(text, copied, std::string::npos);
  return out;
}

std::string id_field(const std::string& object_json) {
  const auto parsed = json::parse(object_json, nullptr, false);
  if (!parsed.is_object() || !parsed.contains("id")) return "";
  const auto& id = parsed["id"];
  if (id.is_string()) return id.get<std::string>();
  if (id.is_number_integer()) return std::to_string(id.get<long long>());
  return "";
}

json order_json(const store::OrderRecord& order) {
  return {
      {"id", order.id},
      {"tenant", order.tenant},
      {"provider", order.provider},
      {"test_id", order.test_id},
      {"status", order.status},
      {"failure_reason", order.failure_reason},
      {"vendor_order_id", order.vendor_order_id},
      {"candidate_id", id_field(order.candidate_json)},
      {"job_id", id_field(order.job_json)},
      {"result_version", order.result_version},
      {"pushed_version", order.pushed_version},
      {"created_at", format_time(order.created_at, true)},
      {"updated_at", format_time(order.updated_at, true)},
  };
}

json job_json(const store::JobRecord& job) {
  json out = {
      {"id", job.id},
      {"order_id", job.order_id},
      {"tenant", job.tenant},
      {"provider", job.provider},
      {"kind", store::to_string(job.kind)},
      {"state", store::to_string(job.state)},
      {"attempts", job.attempts},
      {"max_attempts", job.max_attempts},
      {"run_at", format_time(job.run_at, true)},
      {"last_error", without_personal_data(job.last_error)},
      {"created_at", format_time(job.created_at, true)},
      {"updated_at", format_time(job.updated_at, true)},
  };
  // Which daemon runs the job, on PostgreSQL; a finished job's last lease is history, not shown.
  if (job.state == store::JobState::running && !job.lease_owner.empty()) {
    out["lease"] = {
        {"owner", job.lease_owner},
        {"expires_at",
         job.lease_expires_at ? json(format_time(*job.lease_expires_at, true)) : json(nullptr)}};
  }
  return out;
}

json timeline_json(const store::TimelineEntry& entry) {
  return {
      {"at", format_time(entry.at, true)},
      {"source", entry.source},
      {"kind", entry.event},
      {"text", without_personal_data(entry.detail)},
  };
}

json candidate_json(const store::OrderRecord& order, PersonalData personal) {
  json out = {{"id", id_field(order.candidate_json)}};
  if (personal == PersonalData::omit) return out;
  const json candidate = json::parse(order.candidate_json, nullptr, false);
  const auto text = [&](const char* key) {
    if (!candidate.is_object()) return std::string();
    const auto it = candidate.find(key);
    return it != candidate.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  std::string name = text("first_name");
  const std::string last = text("last_name");
  if (!name.empty() && !last.empty()) name += ' ';
  name += last;
  out["name"] = name;
  out["email"] = text("email");
  return out;
}

json card_json(const store::OrderRecord& order, PersonalData personal) {
  const orders::ResultView view = orders::ResultView::from_json(order.result_json);
  json out = json::parse(view.to_json());
  if (personal == PersonalData::omit) {
    out["summary"] = without_personal_data(view.summary);
    out["has_report_url"] = !view.url.empty();
    out.erase("url");
    out.erase("details");
    for (auto& attachment : out["attachments"]) attachment.erase("url");
  }
  out["result_version"] = order.result_version;
  out["pushed_version"] = order.pushed_version;
  return out;
}

json order_page_json(const store::OrderRecord& order,
                     const std::vector<store::TimelineEntry>& timeline,
                     const std::vector<store::JobRecord>& jobs, PersonalData personal) {
  json out = order_json(order);
  out["candidate"] = candidate_json(order, personal);
  out["timeline"] = json::array();
  for (const auto& entry : timeline) out["timeline"].push_back(timeline_json(entry));
  out["jobs"] = json::array();
  for (const auto& job : jobs) out["jobs"].push_back(job_json(job));
  out["card"] = card_json(order, personal);
  return out;
}

}  // namespace ttb::admin
