#pragma once
// The CLI's view of orders, jobs and timeline lines: the JSON objects (stable keys) and table
// rows ttbridge prints. Ids only: no candidate name, e-mail or phone, no vendor state (it can
// hold per-order secrets), no options.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/records.h"

namespace ttb::app::cli {

// {"id","tenant","provider","test_id","status","failure_reason","vendor_order_id",
//  "candidate_id","job_id","result_version","pushed_version","created_at","updated_at"}
nlohmann::json order_json(const store::OrderRecord& order);
// order_json plus "result": {"status","score","summary","has_report_url","attachments"}.
nlohmann::json order_detail_json(const store::OrderRecord& order);
// {"id","order_id","tenant","provider","kind","state","attempts","max_attempts","run_at",
//  "last_error","created_at","updated_at"}
nlohmann::json job_json(const store::JobRecord& job);
// {"at","source","event","detail"}
nlohmann::json timeline_json(const store::TimelineEntry& entry);

// "12345" from {"id":"12345",…} or {"id":12345,…}; "" when there is none.
std::string id_field(const std::string& object_json);

}  // namespace ttb::app::cli
