#pragma once
// The store's records as the operator sees them: one JSON shape for the operator API
// (docs/operations.md, "Operator API") and `ttbridge ... --json`. Lists carry ids only; a
// candidate's name and e-mail appear on an order's own page, and only when asked for.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/records.h"

namespace ttb::admin {

// Whether an order's page shows the candidate's name, e-mail and the card's report links. The
// API shows them (an operator behind the admin token); the CLI prints ids only.
enum class PersonalData { omit, include };

// "2026-11-30T05:20:00Z", or with milliseconds "2026-11-30T05:20:00.123Z"; "" for the epoch.
std::string format_time(store::TimePoint at, bool with_millis = false);

// Every e-mail address replaced by "<email>": engine messages and vendor errors may quote one.
std::string without_personal_data(const std::string& text);

// "12345" from {"id":"12345",…} or {"id":12345,…}; "" when there is none.
std::string id_field(const std::string& object_json);

// {"id","tenant","provider","test_id","status","failure_reason","vendor_order_id",
//  "candidate_id","job_id","result_version","pushed_version","created_at","updated_at"}
nlohmann::json order_json(const store::OrderRecord& order);
// {"id","order_id","tenant","provider","kind","state","attempts","max_attempts","run_at",
//  "last_error","created_at","updated_at"}; last_error without e-mail addresses.
nlohmann::json job_json(const store::JobRecord& job);
// {"at","source","kind","text"}: kind is the line's stable event key, text its detail.
nlohmann::json timeline_json(const store::TimelineEntry& entry);
// {"id","name","email"}; with PersonalData::omit only the id.
nlohmann::json candidate_json(const store::OrderRecord& order, PersonalData personal);
// The card the recruiter sees (status, score, grade, summary, url, attachments, details,
// criteria) plus "result_version" and "pushed_version" (Teamtailor has the card when
// they are equal). With PersonalData::omit the summary loses e-mail addresses and the links
// (url, attachment urls, details) are left out.
nlohmann::json card_json(const store::OrderRecord& order, PersonalData personal);
// order_json plus "candidate", "timeline", "jobs" and "card".
nlohmann::json order_page_json(const store::OrderRecord& order,
                               const std::vector<store::TimelineEntry>& timeline,
                               const std::vector<store::JobRecord>& jobs, PersonalData personal);

}  // namespace ttb::admin
