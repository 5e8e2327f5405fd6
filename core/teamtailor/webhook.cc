#include "teamtailor/webhook.h"

#include "teamtailor/text.h"

namespace ttb::teamtailor {

namespace {

// Ids become store keys and log fields; anything longer is not something Teamtailor sent.
constexpr std::size_t kMaxIdBytes = 256;

using Json = nlohmann::json;

WebhookParse refuse(std::string reason) {
  WebhookParse parse;
  parse.error = std::move(reason);
  return parse;
}

const Json* member(const Json& object, const char* name) {
  auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

// Reads a string or an integer (ids) into `out`; null/absent leave it empty. False on any other
// type, so a forged body cannot smuggle an object where a name should be.
bool read_scalar(const Json& object, const char* name, std::string& out, bool allow_number) {
  const Json* value = member(object, name);
  if (value == nullptr || value->is_null()) return true;
  if (value->is_string()) {
    out = value->get<std::string>();
    return true;
  }
  if (allow_number && value->is_number_integer()) {
    out = value->is_number_unsigned() ? std::to_string(value->get<std::uint64_t>())
                                      : std::to_string(value->get<std::int64_t>());
    return true;
  }
  return false;
}

// An optional member that must be an object when present (null counts as absent).
bool optional_object(const Json& parent, const char* name, const Json*& out) {
  out = member(parent, name);
  if (out != nullptr && out->is_null()) out = nullptr;
  return out == nullptr || out->is_object();
}

bool valid_id(const std::string& id) {
  if (id.empty() || id.size() > kMaxIdBytes) return false;
  for (unsigned char c : id) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

WebhookParse parse_webhook(std::string_view body, std::size_t max_depth) {
  if (trim(body).empty()) return refuse("empty webhook body");
  if (json_text_too_deep(body, max_depth)) {
    return refuse("webhook body nests deeper than " + std::to_string(max_depth) + " levels");
  }
  Json root = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return refuse("webhook body is not valid JSON");
  if (!root.is_object()) return refuse("webhook body is not a JSON object");

  const Json* event_json = member(root, "partner-event");
  if (event_json == nullptr || !event_json->is_object()) {
    return refuse("webhook body has no partner-event object");
  }

  WebhookEvent event;
  if (!read_scalar(*event_json, "id", event.event_id, true) || !valid_id(event.event_id)) {
    return refuse("partner-event.id is missing or invalid");
  }

  const Json* result = nullptr;
  if (!optional_object(*event_json, "partner-result", result) || result == nullptr) {
    return refuse("partner-event.partner-result is missing");
  }
  if (!read_scalar(*result, "id", event.partner_result_id, true) ||
      !valid_id(event.partner_result_id)) {
    return refuse("partner-event.partner-result.id is missing or invalid");
  }
  if (!read_scalar(*result, "update-url", event.update_url, false)) {
    return refuse("partner-event.partner-result.update-url is not a string");
  }

  const Json* data = nullptr;
  if (!optional_object(*event_json, "webhook-data", data)) {
    return refuse("partner-event.webhook-data is not an object");
  }
  if (data != nullptr) {
    if (!read_scalar(*data, "test", event.test_id, true)) {
      return refuse("partner-event.webhook-data.test is not a string");
    }
    // Moved out of the parsed body (which is dropped on return) rather than copied.
    event.webhook_data = std::move(root.at("partner-event").at("webhook-data"));
  }

  const Json* candidate = nullptr;
  if (!optional_object(*event_json, "candidate", candidate) || candidate == nullptr) {
    return refuse("partner-event.candidate is missing or not an object");
  }
  auto& c = event.candidate;
  if (!read_scalar(*candidate, "id", c.id, true) ||
      !read_scalar(*candidate, "uuid", c.uuid, false) ||
      !read_scalar(*candidate, "first-name", c.first_name, false) ||
      !read_scalar(*candidate, "last-name", c.last_name, false) ||
      !read_scalar(*candidate, "email", c.email, false) ||
      !read_scalar(*candidate, "phone", c.phone, false)) {
    return refuse("partner-event.candidate has a field of the wrong type");
  }
  if (c.id.size() > kMaxIdBytes) return refuse("partner-event.candidate.id is too long");

  const Json* job = nullptr;
  if (!optional_object(*candidate, "job", job)) {
    return refuse("partner-event.candidate.job is not an object");
  }
  if (job != nullptr && (!read_scalar(*job, "id", event.job.id, true) ||
                         !read_scalar(*job, "title", event.job.title, false))) {
    return refuse("partner-event.candidate.job has a field of the wrong type");
  }
  if (job != nullptr) {
    // The job's stage is context for the vendor, not something the order depends on: a value of
    // another shape is left out rather than refusing the recruiter's order.
    if (!read_scalar(*job, "stage", event.job.stage, false)) event.job.stage.clear();
    if (!read_scalar(*job, "stage-id", event.job.stage_id, true)) event.job.stage_id.clear();
    if (event.job.stage.size() > kMaxJobTextBytes) event.job.stage.clear();
    if (event.job.stage_id.size() > kMaxIdBytes) event.job.stage_id.clear();
  }

  // The documented body has `company` at the top level; accept it inside the event as well.
  const Json* company = nullptr;
  if (!optional_object(root, "company", company) ||
      (company == nullptr && !optional_object(*event_json, "company", company))) {
    return refuse("company is not an object");
  }
  if (company != nullptr && (!read_scalar(*company, "uuid", event.company.uuid, false) ||
                             !read_scalar(*company, "name", event.company.name, false))) {
    return refuse("company has a field of the wrong type");
  }

  WebhookParse parse;
  parse.event = std::move(event);
  return parse;
}

}  // namespace ttb::teamtailor
