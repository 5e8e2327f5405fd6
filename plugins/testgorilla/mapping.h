#pragma once
// TestGorilla's JSON and ttbridge's payloads, both ways: the engine's order request read and the
// invite body built from it; the order context (which candidature an order is); TestGorilla's
// assessments mapped to our tests; and a candidature (as listed by GET /assessments/candidature/)
// with its test results mapped onto our order update: status, score, summary, report link and
// per-test details. Pure functions over JSON, tested without a host.

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ttb::testgorilla {

// ---- ttbridge → TestGorilla

struct OrderRequest {
  std::string order_id;       // the partner-result id
  std::string assessment_id;  // the test id the recruiter picked (without the provider prefix)
  std::string first_name, last_name, email;
};

// Throws sdk::Error(TTB_STATUS_INVALID, ...) naming the missing or malformed field. The
// assessment id must be TestGorilla's numeric id.
OrderRequest parse_order_request(std::string_view request_json);

// The body of POST /assessments/{id}/invite_candidate/: {"email", "first_name", "last_name"}
// (names only when given). TestGorilla has no phone, job or reference field.
nlohmann::json build_invite_body(const OrderRequest& order);

// A JSON id that may come as a string or a number, as a string; "" otherwise.
std::string id_text(const nlohmann::json& value);

// E-mail addresses compared as TestGorilla's list shows them: ASCII case-insensitive.
bool same_email(std::string_view a, std::string_view b);

// Which candidature an order is; kept in vendor_state and handed back in the order context.
struct OrderRef {
  std::string order_id;
  std::string assessment_id;
  std::string candidature_id;
  std::string test_taker_id;  // "" when the list did not carry it (then no test results)
  std::string email;

  std::string vendor_order_id() const { return assessment_id + "/" + candidature_id; }
  nlohmann::json vendor_state() const;
};

// The order's candidature as found in the assessment's list (never a second invite). Throws
// sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE) when the candidature has no id.
OrderRef ref_from_candidature(const std::string& order_id, const std::string& assessment_id,
                              const nlohmann::json& candidature);

// Reads vendor_state {assessment_id, candidature_id, test_taker_id, email}; falls back to
// vendor_order_id "{assessment}/{candidature}" and candidate.email. Throws
// sdk::Error(TTB_STATUS_INVALID) when the context is not JSON or names no candidature.
OrderRef parse_order_context(std::string_view order_json);

// ---- TestGorilla → ttbridge

// Appends the assessments of one page that can be sent (not archived) to `tests` as
// {"id","name","kind":"assessment","description","duration_minutes":null}. Throws
// sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE) when the page has no `results` array.
void append_assessments(const nlohmann::json& page, nlohmann::json& tests);

// The element of a candidature page whose `id` (or, when `candidature_id` is "", `email`)
// matches; nullopt when none does. Throws sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE) when the
// page has no `results` array.
std::optional<nlohmann::json> find_candidature(const nlohmann::json& page,
                                               const std::string& candidature_id,
                                               const std::string& email);

// True when a list page may be followed by another: a `next` link, or fewer results than
// `count` so far. `seen` counts the results of this and the earlier pages.
bool has_more(const nlohmann::json& page, std::size_t seen);

// The candidature's `status` in lower case ("invited", "started", "completed",
// "disqualified", ...); "" when absent.
std::string candidature_status(const nlohmann::json& candidature);

// The order update for `candidature` (candidate_url = its `invitation_link`, when given).
// `results` is the answer of GET /assessments/results/ for a
// completed candidature (nullopt otherwise). `report_url_template` may be "".
nlohmann::json map_candidature(const nlohmann::json& candidature,
                               const std::optional<nlohmann::json>& results, const OrderRef& order,
                               const std::string& report_url_template);

// The update for an order whose candidature is gone from the assessment (deleted at TestGorilla):
// failed, reason cancelled.
nlohmann::json candidature_gone_update(const OrderRef& order);

// The update after cancel_order deleted the candidature.
nlohmann::json cancelled_update(const OrderRef& order);

// The order's score: the mean of `score` over results whose algorithm is `basic` or
// `custom_questions` and whose score is a number, rounded to 2 places, clamped to 0..100;
// null when there is none (personality tests only).
nlohmann::json score_of(const nlohmann::json& results);

}  // namespace ttb::testgorilla
