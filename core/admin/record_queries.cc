#include "admin/record_queries.h"

#include <algorithm>
#include <chrono>

#include "orders/order_status.h"

namespace ttb::admin {

store::Result<std::vector<store::JobRecord>> list_jobs(store::Store& store, const JobQuery& query) {
  store::JobFilter filter;
  filter.dead_only = query.dead_only;
  // In the query: finished jobs (a store keeps every poll of an open order) were read, up to a
  // million, and left out here.
  filter.open_only = !query.dead_only && !query.include_done;
  filter.tenant = query.tenant;
  filter.order_id = query.order_id;
  filter.limit = query.limit;
  return store.list_jobs(filter);
}

store::Result<std::vector<store::JobRecord>> jobs_of_order(store::Store& store,
                                                           const std::string& order_id) {
  store::JobFilter filter;
  filter.order_id = order_id;
  filter.limit = kOrderPageJobs;
  filter.newest_first = true;
  auto jobs = store.list_jobs(filter);
  if (jobs) std::reverse(jobs->begin(), jobs->end());
  return jobs;
}

store::Result<nlohmann::json> order_page(store::Store& store, const std::string& order_id,
                                         PersonalData personal) {
  const auto order = store.get_order(order_id);
  if (!order) return order.error();
  const auto timeline = store.timeline(order->id);
  if (!timeline) return timeline.error();
  const auto jobs = jobs_of_order(store, order->id);
  if (!jobs) return jobs.error();
  return order_page_json(*order, *timeline, *jobs, personal);
}

namespace {

// Reads `digits` decimal digits at text[pos], or nullopt. Digits only: from_chars alone would
// take "-1" for a two-digit hour.
std::optional<int> number(std::string_view text, std::size_t pos, std::size_t digits) {
  if (pos + digits > text.size()) return std::nullopt;
  int value = 0;
  for (const char c : text.substr(pos, digits)) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

bool char_at(std::string_view text, std::size_t pos, char c) {
  return pos < text.size() && text[pos] == c;
}

}  // namespace

std::optional<store::TimePoint> parse_time_bound(std::string_view text, bool end_of_day) {
  using namespace std::chrono;
  const auto y = number(text, 0, 4);
  const auto m = number(text, 5, 2);
  const auto d = number(text, 8, 2);
  if (!y || !m || !d || !char_at(text, 4, '-') || !char_at(text, 7, '-')) return std::nullopt;
  // A TimePoint counts nanoseconds in 64 bits: it ends in 2262. Years past kLastYear would
  // overflow it, and no order is that old or that new.
  if (*y < kFirstYear || *y > kLastYear) return std::nullopt;
  const year_month_day date{year(*y), month(static_cast<unsigned>(*m)),
                            day(static_cast<unsigned>(*d))};
  if (!date.ok()) return std::nullopt;
  const sys_days day_start(date);
  if (text.size() == 10) {
    return time_point_cast<store::TimePoint::duration>(end_of_day ? day_start + days(1)
                                                                  : day_start);
  }
  const auto hh = number(text, 11, 2);
  const auto mm = number(text, 14, 2);
  const auto ss = number(text, 17, 2);
  if (!char_at(text, 10, 'T') || !hh || !mm || !ss || !char_at(text, 13, ':') ||
      !char_at(text, 16, ':') || *hh > 23 || *mm > 59 || *ss > 59) {
    return std::nullopt;
  }
  std::size_t pos = 19;
  int millis = 0;
  if (char_at(text, pos, '.')) {
    const auto ms = number(text, pos + 1, 3);
    if (!ms) return std::nullopt;
    millis = *ms;
    pos += 4;
  }
  if (!char_at(text, pos, 'Z') || pos + 1 != text.size()) return std::nullopt;
  const auto at = day_start + hours(*hh) + minutes(*mm) + seconds(*ss) + milliseconds(millis);
  return time_point_cast<store::TimePoint::duration>(at);
}

bool is_order_status(std::string_view status) {
  return orders::parse_order_status(status).has_value();
}

}  // namespace ttb::admin
