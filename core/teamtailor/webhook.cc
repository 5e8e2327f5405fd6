#include "teamtailor/webhook.h"

#include "teamtailor/json_dom.h"
#include "teamtailor/text.h"
#include "ttbridge/json_depth.hpp"

namespace ttb::teamtailor {

namespace {

// Ids become store keys and log fields; anything longer is not something Teamtailor sent.
constexpr std::size_t kMaxIdBytes = 256;
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

WebhookParse refuse(std::string reason) {
  WebhookParse parse;
  parse.error = std::move(reason);
  return parse;
}

// Reads a string or an integer (ids) into `out`; null/absent leave it empty. False on any other
// type, so a forged body cannot smuggle an object where a name should be.
bool read_scalar(const object& parent, std::string_view name, std::string& out, bool allow_number) {
  const std::optional<element> value = last_member(parent, name);
  if (!value || value->is_null()) return true;
  switch (value->type()) {
    case element_type::STRING:
      out = std::string(value->get_string().value_unsafe());
      return true;
    case element_type::INT64:
      if (!allow_number) return false;
      out = std::to_string(value->get_int64().value_unsafe());
      return true;
    case element_type::UINT64:
      if (!allow_number) return false;
      out = std::to_string(value->get_uint64().value_unsafe());
      return true;
    default:
      return false;
  }
}

// An optional member that must be an object when present (null counts as absent).
bool optional_object(const object& parent, std::string_view name, std::optional<object>& out) {
  out.reset();
  const std::optional<element> value = last_member(parent, name);
  if (!value || value->is_null()) return true;
  if (!value->is_object()) return false;
  out = value->get_object().value_unsafe();
  return true;
}

bool valid_id(const std::string& id) {
  if (id.empty() || id.size() > kMaxIdBytes) return false;
  for (unsigned char c : id) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

WebhookParse read_event(const object& root) {
  std::optional<object> event_json;
  if (!optional_object(root, "partner-event", event_json) || !event_json) {
    return refuse("webhook body has no partner-event object");
  }

  WebhookEvent event;
  if (!read_scalar(*event_json, "id", event.event_id, true) || !valid_id(event.event_id)) {
    return refuse("partner-event.id is missing or invalid");
  }

  std::optional<object> result;
  if (!optional_object(*event_json, "partner-result", result) || !result) {
    return refuse("partner-event.partner-result is missing");
  }
  if (!read_scalar(*result, "id", event.partner_result_id, true) ||
      !valid_id(event.partner_result_id)) {
    return refuse("partner-event.partner-result.id is missing or invalid");
  }
  if (!read_scalar(*result, "update-url", event.update_url, false)) {
    return refuse("partner-event.partner-result.update-url is not a string");
  }

  std::optional<object> data;
  if (!optional_object(*event_json, "webhook-data", data)) {
    return refuse("partner-event.webhook-data is not an object");
  }
  if (data) {
    if (!read_scalar(*data, "test", event.test_id, true)) {
      return refuse("partner-event.webhook-data.test is not a string");
    }
    event.webhook_data_json = simdjson::minify(*data);
  }

  std::optional<object> candidate;
  if (!optional_object(*event_json, "candidate", candidate) || !candidate) {
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

  std::optional<object> job;
  if (!optional_object(*candidate, "job", job)) {
    return refuse("partner-event.candidate.job is not an object");
  }
  if (job && (!read_scalar(*job, "id", event.job.id, true) ||
              !read_scalar(*job, "title", event.job.title, false))) {
    return refuse("partner-event.candidate.job has a field of the wrong type");
  }
  if (job) {
    // The job's stage is context for the vendor, not something the order depends on: a value of
    // another shape is left out rather than refusing the recruiter's order.
    if (!read_scalar(*job, "stage", event.job.stage, false)) event.job.stage.clear();
    if (!read_scalar(*job, "stage-id", event.job.stage_id, true)) event.job.stage_id.clear();
    if (event.job.stage.size() > kMaxJobTextBytes) event.job.stage.clear();
    if (event.job.stage_id.size() > kMaxIdBytes) event.job.stage_id.clear();
  }

  // The documented body has `company` at the top level; accept it inside the event as well.
  std::optional<object> company;
  if (!optional_object(root, "company", company) ||
      (!company && !optional_object(*event_json, "company", company))) {
    return refuse("company is not an object");
  }
  if (company && (!read_scalar(*company, "uuid", event.company.uuid, false) ||
                  !read_scalar(*company, "name", event.company.name, false))) {
    return refuse("company has a field of the wrong type");
  }

  WebhookParse parse;
  parse.event = std::move(event);
  return parse;
}

}  // namespace

WebhookParse parse_webhook(std::string_view body, std::size_t max_depth) {
  if (trim(body).empty()) return refuse("empty webhook body");
  if (sdk::json_nests_deeper_than(body, max_depth)) {
    return refuse("webhook body nests deeper than " + std::to_string(max_depth) + " levels");
  }
  // A UTF-8 byte order mark is allowed before the text (RFC 8259 §8.1); simdjson does not skip it.
  if (body.starts_with(kByteOrderMark)) body.remove_prefix(kByteOrderMark.size());
  // A parser of its own per body: its buffers are sized to the body and freed with it, where one
  // kept per thread would hold the largest body that thread ever saw, on each of the server's
  // worker threads. Allocating them costs little (docs/performance.md, "The webhook's JSON, its
  // log line and SQLite's bookkeeping"). simdjson validates the whole text (syntax and UTF-8)
  // before any member is read, and copies the body into a padded buffer of its own.
  simdjson::dom::parser parser;
  element root;
  switch (parser.parse(body.data(), body.size()).get(root)) {
    case simdjson::SUCCESS:
      break;
    case simdjson::UTF8_ERROR:
      return refuse("webhook body is not valid UTF-8");
    case simdjson::NUMBER_ERROR:
      // Integers beyond 64 bits and doubles beyond ±1.8e308: no field of a webhook holds one.
      return refuse("webhook body has a number that is malformed or out of range");
    default:
      return refuse("webhook body is not valid JSON");
  }
  if (!root.is_object()) return refuse("webhook body is not a JSON object");
  return read_event(root.get_object().value_unsafe());
}

}  // namespace ttb::teamtailor
