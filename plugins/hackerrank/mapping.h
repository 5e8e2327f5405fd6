#pragma once
// HackerRank's JSON and ttbridge's payloads, both ways: the engine's order request read and the
// invite body built from it, the order context (which candidate an order is, and its webhook
// token), HackerRank's test list mapped to our tests, and its TestCandidate (as re-fetched by GET;
// never the webhook body) mapped onto our order update: status, score, summary, report link, PDF
// attachment and per-section details. Pure functions over JSON, tested without a host.

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ttb::hackerrank {

// ---- ttbridge → HackerRank

struct OrderRequest {
  std::string order_id;      // the partner-result id
  std::string test_id;       // HackerRank test id (without the provider prefix)
  std::string candidate_id;  // Teamtailor candidate id
  std::string first_name, last_name, email, phone;
  std::string job_id, job_title;
  std::string job_stage;     // the candidate's stage in the job, "" when Teamtailor gave none
  std::string callback_url;  // this order's /callbacks/{tenant}/{provider}/orders/{order_id}
};

// Throws sdk::Error(TTB_STATUS_INVALID, ...) naming the missing or malformed field.
OrderRequest parse_order_request(std::string_view request_json);

// The body of POST /tests/{test_id}/candidates. `send_email` is always present: HackerRank's
// docs disagree on its default. HackerRank POSTs results to `test_result_url` presenting
// `token` as a Bearer credential; `accept_result_updates` asks it to post later changes too.
nlohmann::json build_invite_body(const OrderRequest& order, bool send_email,
                                 const std::string& token);

// The order update for a successful invite: status "sent", candidate_url = test_link,
// vendor_order_id = "{test_id}/{candidate id}", vendor_state = {test_id, candidate_id, token}.
// Throws sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE) when the answer lacks the id or link.
nlohmann::json invite_update(const OrderRequest& order, const nlohmann::json& invite_answer,
                             const std::string& token);

// A JSON id that may come as a string or a number, as a string; "" otherwise.
std::string id_text(const nlohmann::json& value);

struct OrderRef {
  std::string order_id;
  std::string test_id;
  std::string candidate_id;
  std::string token;  // "" when the context has none (then no callback can be verified)

  std::string vendor_order_id() const { return test_id + "/" + candidate_id; }
  nlohmann::json vendor_state() const;
};

// Reads vendor_state {test_id, candidate_id, token}; falls back to vendor_order_id
// "{test_id}/{candidate id}" for the ids. Throws sdk::Error(TTB_STATUS_INVALID) when the
// context is not JSON or names no candidate.
OrderRef parse_order_context(std::string_view order_json);

// ---- HackerRank → ttbridge

// Appends the invitable tests of one page to `tests` as
// {"id","name","kind":"assessment","description","duration_minutes"}. Throws
// sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE) when the page has no `data` array.
void append_invitable_tests(const nlohmann::json& page, nlohmann::json& tests);

// HackerRank's candidate `status`: -1 invited, 7 finished with the report generated; values in
// between are internal (attempt started, being evaluated).
inline constexpr int kStatusInvited = -1;
inline constexpr int kStatusReportReady = 7;

// The query of the candidate re-fetch: everything the mapping reads.
inline constexpr const char* kCandidateFields =
    "questions,scores_sections_split,scores_tags_split,percentage_score,max_score,"
    "performance_summary,integrity_status,report_url,authenticated_report_url,pdf_url,invite_valid";

// The candidate's numeric status, or nullopt when it has none (a broken answer).
std::optional<int> candidate_status(const nlohmann::json& candidate);

// The PDF link out of GET .../pdf?format=url ({"url"} or {"pdf_url"}, or a bare JSON string).
std::optional<std::string> pdf_link_from(const nlohmann::json& answer);

// The order update for `candidate`. `pdf_url` is the link from the pdf endpoint when it was
// ready. Throws sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE) when the candidate has no status.
nlohmann::json map_candidate(const nlohmann::json& candidate, const OrderRef& order,
                             const std::optional<std::string>& pdf_url);

// A dedupe key for a callback that changes whenever what we would report changes (status,
// score, PDF readiness), so exact redeliveries are dropped but updates pass.
std::string callback_event_id(const nlohmann::json& candidate, const OrderRef& order, bool has_pdf);

}  // namespace ttb::hackerrank
