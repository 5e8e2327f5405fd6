#pragma once
// Codility's JSON and ttbridge's payloads, both ways: the engine's order request read and the
// invite body built from it, the order context (which test session an order is), Codility's
// test list mapped to our tests, and its session (as re-read by GET; never the callback body)
// mapped onto our order update: status, score, summary, report link, PDF attachment and
// per-task details. Pure functions over JSON, tested without a host.

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ttb::codility {

// ---- ttbridge → Codility

struct OrderRequest {
  std::string order_id;      // the partner-result id; Codility's `candidates[].id`
  std::string test_id;       // Codility test id (without the provider prefix)
  std::string candidate_id;  // Teamtailor candidate id
  std::string first_name, last_name, email, phone;
  std::string job_id, job_title;
  std::string callback_url;  // the host's /callbacks/{tenant}/{provider}/orders/{order_id}
};

// Throws sdk::Error(TTB_STATUS_INVALID, ...) naming the missing or malformed field.
OrderRequest parse_order_request(std::string_view request_json);

// The body of POST /tests/{test_id}/invite/: one candidate whose `id` is our order id (so the
// session can be found again, and a callback's session checked against its order), and
// `event_callbacks` for `result` and `similarity` to `callback_url` (the per-order URL of
// callback_token.h). Codility has no phone or job field: they go in `additional_data`.
nlohmann::json build_invite_body(const OrderRequest& order, const std::string& callback_url);

// A JSON id that may come as a string or a number, as a string; "" otherwise.
std::string id_text(const nlohmann::json& value);

// The session id: the last path segment of a session URL ("https://.../sessions/AB12-CD/").
std::string session_id_from_url(std::string_view url);

// A session's id: its `id`, else the last segment of `url` or `session_url`; "" when none.
std::string session_id_of(const nlohmann::json& session);

struct OrderRef {
  std::string order_id;
  std::string session_id;

  nlohmann::json vendor_state() const;
};

// The order update for a successful invite: status "sent", candidate_url = test_link,
// vendor_order_id = the session id, vendor_state = {session_id}. Reads the answer's
// candidate whose `id` is our order id (or its only candidate). Throws
// sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE) when the answer lacks the session or the link.
nlohmann::json invite_update(const OrderRequest& order, const nlohmann::json& invite_answer);

// Reads vendor_state {session_id}; falls back to vendor_order_id for the session.
// Throws sdk::Error(TTB_STATUS_INVALID) when the context is not JSON or names no session.
OrderRef parse_order_context(std::string_view order_json);

// ---- Codility → ttbridge

// Appends the tests of one page that can be invited to (not archived) to `tests` as
// {"id","name","kind":"assessment","description","duration_minutes":null}. Throws
// sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE) when the page has no `results` array.
void append_invitable_tests(const nlohmann::json& page, nlohmann::json& tests);

// The session of a sessions page whose `candidate` is `order_id` (the invite we already made
// for this order), if any. Throws sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE) when the page has
// no `results` array.
std::optional<nlohmann::json> find_order_session(const nlohmann::json& page,
                                                 const std::string& order_id);

// True when the session was created for `order_id` (its `candidate` is our order id).
bool session_belongs_to(const nlohmann::json& session, const std::string& order_id);

// The order update for `session`. Throws sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE) when the
// session is not an object.
nlohmann::json map_session(const nlohmann::json& session, const OrderRef& order);

// The order update when Codility no longer has the session (404/410): failed, cancelled.
nlohmann::json gone_update(const OrderRef& order);

// The session id a callback body names: `session` as an object (its id or url) or as a string
// (an id or a URL); also a top-level `id` or `url`. "" when none can be read.
std::string callback_session_id(const nlohmann::json& body);

// A dedupe key for a callback that changes whenever what we would report changes (status,
// score, similarity, PDF), so exact redeliveries are dropped but news passes.
std::string callback_event_id(const nlohmann::json& update);

}  // namespace ttb::codility
