#include "order_request.h"

#include "ttbridge/plugin.hpp"

namespace hackerrank {
namespace {

using nlohmann::json;

[[noreturn]] void bad(const std::string& message) {
  throw ttb::sdk::Error(TTB_STATUS_INVALID, "order request: " + message);
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

}  // namespace

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
    throw ttb::sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
                          "HackerRank's invite answer is not a JSON object");
  std::string candidate_id = answer.contains("id") ? id_text(answer["id"]) : "";
  std::string link;
  if (auto it = answer.find("test_link"); it != answer.end() && it->is_string())
    link = it->get<std::string>();
  if (candidate_id.empty() || link.empty())
    throw ttb::sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
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

}  // namespace hackerrank
