#pragma once
// The reads behind the operator's lists and pages, shared by the operator API and the CLI so
// both list the same jobs and show the same order page.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "admin/record_json.h"
#include "store/store.h"

namespace ttb::admin {

struct JobQuery {
  bool dead_only = false;     // only dead letters
  bool include_done = false;  // also finished jobs; by default only open ones (queued, running,
                              // dead), the jobs an operator acts on
  std::string tenant;         // "" = all
  std::string order_id;       // "" = all
  int limit = 100;
};
// Oldest first (by id).
store::Result<std::vector<store::JobRecord>> list_jobs(store::Store& store, const JobQuery& query);

// The jobs an order's page shows: its latest kOrderPageJobs, oldest first. The latest, not the
// first: an order polled for weeks has thousands, and its current or dead ones are the newest.
inline constexpr int kOrderPageJobs = 1000;
store::Result<std::vector<store::JobRecord>> jobs_of_order(store::Store& store,
                                                           const std::string& order_id);

// One order's page (order_page_json); not_found when there is no such order.
store::Result<nlohmann::json> order_page(store::Store& store, const std::string& order_id,
                                         PersonalData personal);

// A bound of a time window: "2026-11-30" (that day's start, UTC) or "2026-11-30T05:20:00Z"
// (seconds, optional milliseconds, "Z"). `end_of_day`: a bare date means the start of the next
// day, so that an upper bound includes the day it names. nullopt when the text is neither, or
// its year is outside [kFirstYear, kLastYear].
inline constexpr int kFirstYear = 1970;
inline constexpr int kLastYear = 2200;
std::optional<store::TimePoint> parse_time_bound(std::string_view text, bool end_of_day);

// The order statuses a search may name.
bool is_order_status(std::string_view status);

}  // namespace ttb::admin
