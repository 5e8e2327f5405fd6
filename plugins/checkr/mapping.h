#pragma once
// Checkr's objects and ttbridge's payloads, both ways: the host's order request and order context
// read, Checkr's request bodies built from them, and Checkr's packages, invitations and reports
// mapped to tests and order updates. Pure functions over JSON, tested on documented payload
// shapes without a host or a network. Unknown fields are ignored; missing ones read as null.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "config.h"

namespace ttb::checkr {

// ---- ttbridge → Checkr

struct OrderRequest {
  std::string order_id;  // the Teamtailor partner-result id; Checkr's candidate custom_id
  std::string package;   // test_id = package slug
  std::string email;     // the one field Checkr's hosted flow requires
  std::string first_name;
  std::string last_name;
  std::string phone;
  std::string teamtailor_candidate_id;
  std::string job_id;
  std::string job_title;
  std::string job_stage;  // the candidate's stage in the job, "" when Teamtailor gave none
};

struct OrderContext {
  std::string order_id;
  std::string invitation_id;  // vendor_order_id
  std::string report_id;      // vendor_state.report_id, once known
};

// Throw ttb::sdk::Error(TTB_STATUS_INVALID, ...) naming the missing field, never its value.
OrderRequest parse_order_request(std::string_view json);
OrderContext parse_order_context(std::string_view json);

// POST /candidates: custom_id = our order id, so a retried order finds its candidate again and a
// report event leads back to the order. The job goes into metadata (Checkr has no job field).
nlohmann::json candidate_body(const OrderRequest& order);

// POST /invitations: the package, the candidate and the account's work location, node and tags;
// with `job_tags`, the job's title and stage are tags too (no duplicates, no empty ones).
nlohmann::json invitation_body(const OrderRequest& order, const std::string& candidate_id,
                               const Config& config);

// ---- Checkr → ttbridge

// One page of GET /packages → the tests on it (deleted packages and ones without a slug are
// skipped). Test id = package slug, because invitations name the package by slug.
nlohmann::json tests_from_packages(const nlohmann::json& page);
// True when the page says another one follows (next_href is a non-empty string).
bool has_next_page(const nlohmann::json& page);

struct MappingOptions {
  ScoreMode score = ScoreMode::none;
  std::string report_url_template;  // "" → report_url stays empty
};

// The order update for the current state at Checkr. `invitation` and `report` may each be null
// (a report event has no invitation; a fresh invitation has no report). The report, when given,
// decides the status; otherwise the invitation does:
//   invitation pending → sent; invitation completed (no report yet) → pending;
//   invitation expired → failed/expired; invitation deleted → failed/cancelled;
//   report pending|suspended|paused|dispute → pending; complete → completed; canceled →
//   failed/cancelled.
// Sets vendor_order_id and candidate_url only when the invitation is known, and order_id when
// the report embeds its candidate (custom_id is our order id).
nlohmann::json order_update(const nlohmann::json& invitation, const nlohmann::json& report,
                            const MappingOptions& options);

// "complete / consider / assessment=review / adjudication=null; 1 canceled screening".
std::string report_summary(const nlohmann::json& report);
// One entry per embedded screening: "ssn_trace" → "complete/clear"; a canceled one adds its
// reason: "canceled/null (candidate_not_found)". Counties are told apart by county and state.
nlohmann::json screening_details(const nlohmann::json& report);
// The report's PDF documents as attachment links.
nlohmann::json report_attachments(const nlohmann::json& report);
// Our order id for a report: the custom_id of its embedded candidate, "" when absent.
std::string order_id_of_report(const nlohmann::json& report);

// A string member or "" (null, missing or another type).
std::string text(const nlohmann::json& obj, const char* key);

}  // namespace ttb::checkr
