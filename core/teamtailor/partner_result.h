#pragma once
// What ttbridge writes to a partner-result: the update, its local validation and its JSON:API body
// (docs/protocols/teamtailor.md, "Partner-result update", "Partner-result rules"). Validating first
// keeps a bad vendor payload from turning into a retry loop of 422s.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace ttb::teamtailor {

struct Attachment {
  std::string url;          // http(s)
  std::string description;  // shown as the link text; may be empty
};

// A result-card button: Teamtailor posts the original partner event to {base-url}/{endpoint}.
struct CardButton {
  std::string button_text;
  std::string endpoint;  // relative to the partner base URL, no leading '/'
};

// One assessment criterion; `id` is one of the criteria ids the partner configured.
struct Criterion {
  std::string id;
  std::optional<int> score;  // 0-100; omitted when unknown
};

// The check is wrong here: what may throw is nlohmann::json's destructor, which allocates to
// flatten nested values; nothing in this struct can change that.
// NOLINTNEXTLINE(bugprone-exception-escape)
struct PartnerResultUpdate {
  std::string status;                      // sending|sent|pending|completed|failed; empty: omit
  std::optional<int> score;                // assessment.score, 0-100
  std::optional<std::string> grade;        // top_fit|might_be_fit|might_not_be_fit|unknown
  std::optional<std::int64_t> duration_s;  // assessment.duration, seconds
  std::string summary;                     // empty: omit
  std::string url;                         // http(s) link to the full report; empty: omit
  std::vector<Attachment> attachments;     // empty: omit
  nlohmann::json details;                  // null (omit) or an object at most 2 levels deep
  std::vector<Criterion> criteria;         // assessment-criteria; empty: omit
  // actions: nullopt omits them (the card keeps its buttons); an empty list removes them all.
  std::optional<std::vector<CardButton>> actions;
};

inline constexpr std::size_t kMaxDetailsDepth = 2;

// Every rule the update breaks, as messages naming the attribute; empty when valid.
std::vector<std::string> validate(const PartnerResultUpdate& update);

// {"data":{"type":"partner-results","id":...,"attributes":{...}}}, kebab-case, empty parts
// omitted. Never throws (invalid UTF-8 is replaced).
std::string to_jsonapi(std::string_view id, const PartnerResultUpdate& update);

// True when `value` nests deeper than `max_depth`: a scalar has depth 0, an object or array one
// more than its deepest member ({"a":{"b":1}} has depth 2).
bool json_deeper_than(const nlohmann::json& value, std::size_t max_depth);

}  // namespace ttb::teamtailor
