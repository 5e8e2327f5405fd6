#pragma once
// The body of Teamtailor's POST /webhook (docs/protocols/teamtailor.md, "Webhook body"), parsed
// once and checked for the fields the engine relies on. Everything else in the payload is ignored.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ttb::teamtailor {

struct WebhookEvent {
  std::string event_id;           // partner-event.id: signed by Teamtailor-Signature, a dedupe key
  std::string partner_result_id;  // partner-event.partner-result.id: the order's key
  std::string update_url;         // informational only: results always go to teamtailor.api_url
  // The config form's values: webhook-data as compact JSON text, "{}" when absent. Members keep
  // their order; the plugins read it as the order's options (docs/plugin-abi.md).
  std::string webhook_data_json = "{}";
  std::string test_id;  // webhook-data.test (the `test` select), empty when absent
  struct Candidate {
    std::string id;  // an integer in Teamtailor's payload, kept as its decimal text
    std::string uuid, first_name, last_name, email, phone;
  } candidate;
  struct Job {
    std::string id, title;
    // The stage the candidate is in (candidate.job.stage, stage-id); both come only with a
    // trigger in some payloads, and are "" when absent or not text/number.
    std::string stage, stage_id;
  } job;
  struct Company {
    std::string uuid, name;
  } company;
};

struct WebhookParse {
  std::optional<WebhookEvent> event;
  std::string error;  // when !event: what is wrong, safe to return to Teamtailor
};

inline constexpr std::size_t kMaxWebhookDepth = 32;
inline constexpr std::size_t kMaxJobTextBytes = 1024;  // a longer job stage is left out

// Never throws. Refuses malformed JSON, nesting deeper than `max_depth`, a missing or empty
// partner-event.id or partner-result id, and members of the wrong shape.
WebhookParse parse_webhook(std::string_view body, std::size_t max_depth = kMaxWebhookDepth);

}  // namespace ttb::teamtailor
