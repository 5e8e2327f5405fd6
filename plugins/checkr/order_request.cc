#include "order_request.h"

namespace ttb::checkr {
namespace {

using nlohmann::json;

// Ids may arrive as strings or numbers; both read as text.
std::string id_text(const json& obj, const char* key) {
  if (!obj.is_object()) return {};
  auto it = obj.find(key);
  if (it == obj.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return it->dump();
  return {};
}

}  // namespace

std::optional<OrderRequest> parse_order_request(std::string_view text, std::string& error) {
  json doc = json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    error = "the order request is not a JSON object";
    return std::nullopt;
  }
  OrderRequest o;
  o.order_id = id_text(doc, "order_id");
  o.package = id_text(doc, "test_id");
  const json empty = json::object();
  const json& cand =
      doc.contains("candidate") && doc["candidate"].is_object() ? doc["candidate"] : empty;
  const json& job = doc.contains("job") && doc["job"].is_object() ? doc["job"] : empty;
  o.email = id_text(cand, "email");
  o.first_name = id_text(cand, "first_name");
  o.last_name = id_text(cand, "last_name");
  o.phone = id_text(cand, "phone");
  o.teamtailor_candidate_id = id_text(cand, "id");
  o.job_id = id_text(job, "id");
  o.job_title = id_text(job, "title");
  if (o.order_id.empty())
    error = "the order request has no order_id";
  else if (o.package.empty())
    error = "the order request has no test_id (the Checkr package slug)";
  else if (o.email.empty())
    error = "the candidate has no email address, which Checkr requires to send the invitation";
  if (!error.empty()) return std::nullopt;
  return o;
}

std::optional<OrderContext> parse_order_context(std::string_view text, std::string& error) {
  json doc = json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    error = "the order context is not a JSON object";
    return std::nullopt;
  }
  OrderContext c;
  c.order_id = id_text(doc, "order_id");
  c.invitation_id = id_text(doc, "vendor_order_id");
  if (auto vs = doc.find("vendor_state"); vs != doc.end() && vs->is_object())
    c.report_id = id_text(*vs, "report_id");
  if (c.invitation_id.empty()) {
    error = "the order context has no vendor_order_id (the Checkr invitation id)";
    return std::nullopt;
  }
  return c;
}

json candidate_body(const OrderRequest& o) {
  json body{{"email", o.email}, {"custom_id", o.order_id}};
  if (!o.first_name.empty()) body["first_name"] = o.first_name;
  if (!o.last_name.empty()) body["last_name"] = o.last_name;
  if (!o.phone.empty()) body["phone"] = o.phone;  // the candidate portal authenticates with it
  json metadata = json::object();
  if (!o.teamtailor_candidate_id.empty())
    metadata["teamtailor_candidate_id"] = o.teamtailor_candidate_id;
  if (!o.job_id.empty()) metadata["teamtailor_job_id"] = o.job_id;
  if (!o.job_title.empty()) metadata["teamtailor_job_title"] = o.job_title;
  if (!metadata.empty()) body["metadata"] = metadata;
  return body;
}

json invitation_body(const OrderRequest& o, const std::string& candidate_id, const Config& config) {
  json body{{"package", o.package}, {"candidate_id", candidate_id}};
  if (config.work_location) {
    json wl{{"country", config.work_location->country}};
    if (!config.work_location->state.empty()) wl["state"] = config.work_location->state;
    if (!config.work_location->city.empty()) wl["city"] = config.work_location->city;
    body["work_locations"] = json::array({wl});
  }
  if (!config.node.empty()) body["node"] = config.node;
  if (!config.tags.empty()) body["tags"] = config.tags;
  return body;
}

}  // namespace ttb::checkr
