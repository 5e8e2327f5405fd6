#include "mapping.h"

#include <algorithm>
#include <map>

#include "ttbridge/plugin.hpp"
#include "ttbridge/test_list.hpp"

namespace ttb::checkr {
namespace {

using nlohmann::json;

std::string or_null(const std::string& s) {
  return s.empty() ? "null" : s;
}

// A screening embedded by include=: an object with its own "object" type and a "status".
bool is_screening(const json& v) {
  if (!v.is_object()) return false;
  std::string type = text(v, "object");
  if (type.empty() || text(v, "status").empty()) return false;
  return type != "candidate" && type != "document" && type != "invitation" && type != "report" &&
         type != "package";
}

// Calls fn(screening) for each embedded screening, single objects and lists alike.
template <class Fn>
void for_each_screening(const json& report, Fn&& fn) {
  if (!report.is_object()) return;
  for (const auto& [key, value] : report.items()) {
    (void)key;
    if (is_screening(value)) {
      fn(value);
    } else if (value.is_array()) {
      for (const auto& item : value)
        if (is_screening(item)) fn(item);
    }
  }
}

struct Status {
  std::string status;          // sent | pending | completed | failed
  std::string failure_reason;  // with failed
};

Status invitation_status(const json& invitation) {
  std::string s = text(invitation, "status");
  if (s == "expired") return {"failed", "expired"};
  if (s == "deleted" || !text(invitation, "deleted_at").empty()) return {"failed", "cancelled"};
  if (s == "completed") return {"pending", ""};
  return {"sent", ""};  // pending, or a status newer than this plugin: the candidate still has it
}

Status report_status(const json& report) {
  std::string s = text(report, "status");
  if (s == "complete") return {"completed", ""};
  if (s == "canceled" || s == "cancelled") return {"failed", "cancelled"};
  // A dispute reopens Checkr's review of a report it had completed: the result the recruiter
  // saw stays final and is amended (the summary says "dispute"), it does not go back to pending.
  if (s == "dispute" && !text(report, "completed_at").empty()) return {"completed", ""};
  return {"pending", ""};  // pending, suspended, paused, dispute, and any newer in-progress state
}

json score_for(const json& report, ScoreMode mode) {
  if (mode == ScoreMode::binary) {
    std::string result = text(report, "result");
    if (result == "clear") return 100;
    if (result == "consider") return 0;
  } else if (mode == ScoreMode::assessment) {
    std::string assessment = text(report, "assessment");
    if (assessment == "eligible") return 100;
    if (assessment == "review") return 50;
    if (assessment == "escalated") return 0;
  }
  return nullptr;
}

// The card's grade (plugin ABI 1.1) of a complete report. Checkr Assess's verdict when the account
// has it; else the result: clear (nothing reportable) is a top fit, consider only asks for the
// recruiter's review, so it is "might be a fit", never a rejection the engine would imply.
json grade_for(const json& report) {
  std::string assessment = text(report, "assessment");
  if (assessment == "eligible") return "top_fit";
  if (assessment == "review") return "might_be_fit";
  if (assessment == "escalated") return "might_not_be_fit";
  std::string result = text(report, "result");
  if (result == "clear") return "top_fit";
  if (result == "consider") return "might_be_fit";
  return nullptr;
}

std::string invitation_summary(const json& invitation) {
  std::string s = text(invitation, "status");
  if (s == "expired") return "invitation expired before the candidate completed it";
  if (s == "deleted" || !text(invitation, "deleted_at").empty()) return "invitation cancelled";
  if (s == "completed") return "invitation completed; the report is not created yet";
  std::string expires = text(invitation, "expires_at");
  return expires.empty() ? "invitation sent; waiting for the candidate"
                         : "invitation sent; waiting for the candidate (expires " + expires + ")";
}

[[noreturn]] void invalid(const std::string& message) {
  throw sdk::Error(TTB_STATUS_INVALID, message);
}

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

std::string text(const json& obj, const char* key) {
  if (!obj.is_object()) return {};
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

json tests_from_packages(const json& page) {
  json tests = json::array();
  if (!page.is_object()) return tests;
  auto data = page.find("data");
  if (data == page.end() || !data->is_array()) return tests;
  for (const auto& pkg : *data) {
    std::string slug = text(pkg, "slug");
    // A slug the host would refuse would cost the whole list; it costs only its package.
    if (!sdk::is_valid_test_id(slug) || !text(pkg, "deleted_at").empty()) continue;
    std::string description;
    if (auto sc = pkg.find("screenings"); sc != pkg.end() && sc->is_array()) {
      for (const auto& screening : *sc) {
        std::string type = text(screening, "type");
        if (type.empty()) continue;
        std::string item = type;  // "county_criminal_search" → "county criminal search"
        for (char& c : item)
          if (c == '_') c = ' ';
        std::string subtype = text(screening, "subtype");
        if (!subtype.empty()) item += " (" + subtype + ")";
        description += (description.empty() ? "" : ", ") + item;
      }
    }
    std::string name = text(pkg, "name");
    tests.push_back(json{{"id", slug},
                         {"name", name.empty() ? slug : name},
                         {"kind", "background_check"},
                         {"description", description},
                         {"duration_minutes", nullptr}});
  }
  return tests;
}

bool has_next_page(const json& page) {
  return !text(page, "next_href").empty();
}

std::string report_summary(const json& report) {
  std::string s = or_null(text(report, "status")) + " / " + or_null(text(report, "result")) +
                  " / assessment=" + or_null(text(report, "assessment")) +
                  " / adjudication=" + or_null(text(report, "adjudication"));
  int canceled = 0;
  for_each_screening(report, [&](const json& screening) {
    std::string st = text(screening, "status");
    if (st == "canceled" || st == "cancelled") ++canceled;
  });
  if (canceled > 0) {
    s += "; " + std::to_string(canceled) +
         (canceled == 1 ? " canceled screening" : " canceled screenings");
  } else if (auto it = report.find("includes_canceled");
             it != report.end() && it->is_boolean() && it->get<bool>()) {
    s += "; includes canceled screenings";
  }
  return s;
}

json screening_details(const json& report) {
  json details = json::object();
  std::map<std::string, int> seen;
  for_each_screening(report, [&](const json& screening) {
    std::string name = text(screening, "object");
    std::string county = text(screening, "county"), state = text(screening, "state");
    if (!county.empty() || !state.empty())
      name += " (" + county + (county.empty() || state.empty() ? "" : ", ") + state + ")";
    int n = ++seen[name];
    if (n > 1) name += " #" + std::to_string(n);
    std::string value =
        or_null(text(screening, "status")) + "/" + or_null(text(screening, "result"));
    std::string reason = text(screening, "cancellation_reason");
    if (!reason.empty()) value += " (" + reason + ")";
    details[name] = value;
  });
  return details;
}

json report_attachments(const json& report) {
  json out = json::array();
  auto docs = report.is_object() ? report.find("documents") : report.end();
  if (!report.is_object() || docs == report.end() || !docs->is_array()) return out;
  for (const auto& doc : *docs) {
    std::string type = text(doc, "type");
    std::string url = text(doc, "download_uri");
    bool pdf =
        type == "pdf_report" || (type.empty() && text(doc, "content_type") == "application/pdf");
    if (!pdf || url.empty()) continue;
    std::string filename = text(doc, "filename");
    out.push_back(json{{"url", url},
                       {"description", filename.empty() ? "Checkr report (PDF)"
                                                        : "Checkr report (PDF): " + filename}});
  }
  return out;
}

std::string order_id_of_report(const json& report) {
  if (!report.is_object()) return {};
  auto cand = report.find("candidate");
  return cand == report.end() ? std::string() : text(*cand, "custom_id");
}

json order_update(const json& invitation, const json& report, const MappingOptions& options) {
  const bool has_invitation = invitation.is_object() && !text(invitation, "id").empty();
  const bool has_report = report.is_object() && !text(report, "id").empty();

  json update = json::object();
  json vendor_state = json::object();
  Status status{"sent", ""};
  std::string summary;

  if (has_invitation) {
    update["vendor_order_id"] = text(invitation, "id");
    update["candidate_url"] = text(invitation, "invitation_url");
    status = invitation_status(invitation);
    summary = invitation_summary(invitation);
    if (auto c = text(invitation, "candidate_id"); !c.empty()) vendor_state["candidate_id"] = c;
  }
  json score = nullptr;
  json grade = nullptr;
  json details = json::object();
  json attachments = json::array();
  std::string report_url;
  if (has_report) {
    const std::string report_id = text(report, "id");
    status = report_status(report);
    summary = report_summary(report);
    details = screening_details(report);
    attachments = report_attachments(report);
    if (status.status == "completed") {
      score = score_for(report, options.score);
      grade = grade_for(report);
    }
    vendor_state["report_id"] = report_id;
    if (auto c = text(report, "candidate_id"); !c.empty()) vendor_state["candidate_id"] = c;
    if (auto order = order_id_of_report(report); !order.empty()) update["order_id"] = order;
    if (!options.report_url_template.empty()) {
      report_url = options.report_url_template;
      report_url.replace(report_url.find("{report_id}"), 11, report_id);
    }
  }
  update["status"] = status.status;
  if (!status.failure_reason.empty()) update["failure_reason"] = status.failure_reason;
  update["score"] = score;
  if (!grade.is_null()) update["grade"] = grade;
  update["summary"] = summary;
  update["report_url"] = report_url;
  update["attachments"] = attachments;
  update["details"] = details;
  update["vendor_state"] = vendor_state;
  return update;
}

// ---- ttbridge → Checkr

OrderRequest parse_order_request(std::string_view text) {
  json doc = json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) invalid("the order request is not a JSON object");
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
  o.job_stage = id_text(job, "stage");
  if (o.order_id.empty()) invalid("the order request has no order_id");
  if (o.package.empty()) invalid("the order request has no test_id (the Checkr package slug)");
  if (o.email.empty())
    invalid("the candidate has no email address, which Checkr requires to send the invitation");
  return o;
}

OrderContext parse_order_context(std::string_view text) {
  json doc = json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) invalid("the order context is not a JSON object");
  OrderContext c;
  c.order_id = id_text(doc, "order_id");
  c.invitation_id = id_text(doc, "vendor_order_id");
  if (auto vs = doc.find("vendor_state"); vs != doc.end() && vs->is_object())
    c.report_id = id_text(*vs, "report_id");
  if (c.invitation_id.empty())
    invalid("the order context has no vendor_order_id (the Checkr invitation id)");
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
  if (!o.job_stage.empty()) metadata["teamtailor_job_stage"] = o.job_stage;
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
  std::vector<std::string> tags = config.tags;
  if (config.job_tags) {
    for (const std::string* tag : {&o.job_title, &o.job_stage}) {
      if (!tag->empty() && std::find(tags.begin(), tags.end(), *tag) == tags.end())
        tags.push_back(*tag);
    }
  }
  if (!tags.empty()) body["tags"] = tags;
  return body;
}

}  // namespace ttb::checkr
