#include "store/pg_first_statistics.h"

#include <array>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "ops/log.h"
#include "ops/thread_name.h"
#include "store/pg_connection.h"

namespace ttb::store {
namespace {

constexpr std::chrono::milliseconds kCheckEarly{500};
constexpr std::chrono::minutes kEarly{2};
constexpr std::chrono::milliseconds kCheckLater{10000};
// Failed checks in a row after which the watch ends (autovacuum still gathers the statistics).
constexpr int kMaxFailures = 20;

// The tables whose plans matter (those the write path and the job runner read with a choice of
// index). The watch ends once the first two have statistics of enough rows, or the store has
// gathered theirs.
constexpr std::array<const char*, 4> kTables = {"jobs", "orders", "timeline", "webhook_events"};

// This schema's tables of kTables whose statistics, if any, are of fewer than
// kFirstStatisticsRows rows, with the rows they hold now.
std::vector<std::pair<std::string, long>> find_watched(PgConnection& db) {
  std::string names;
  for (const char* table : kTables) {
    names += names.empty() ? "'" : ", '";
    names += table;
    names += "'";
  }
  PgResult r = db.exec(
      "SELECT c.relname, s.n_live_tup FROM pg_class c "
      "JOIN pg_stat_user_tables s ON s.relid = c.oid "
      "WHERE s.schemaname = current_schema() AND c.relname IN (" +
      names + ") AND c.reltuples < " + std::to_string(kFirstStatisticsRows));
  std::vector<std::pair<std::string, long>> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int row = 0; row < r.rows(); ++row) {
    out.emplace_back(r.text(row, 0), static_cast<long>(r.int64(row, 1)));
  }
  return out;
}

}  // namespace

PgFirstStatistics::PgFirstStatistics(std::string url) : url_(std::move(url)) {
  thread_ = std::thread([this] {
    ops::name_this_thread("ttb-pg-stats");
    run();
  });
}

PgFirstStatistics::~PgFirstStatistics() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

std::chrono::milliseconds PgFirstStatistics::next_wait() const {
  return std::chrono::steady_clock::now() - started_ < kEarly ? kCheckEarly : kCheckLater;
}

bool PgFirstStatistics::stop_requested_for(std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  return cv_.wait_for(lock, wait, [this] { return stopping_; });
}

void PgFirstStatistics::run() {
  std::unique_ptr<PgConnection> db;
  std::set<std::string> analyzed;  // once each: its statistics may still count fewer rows
  int failures = 0;
  do {
    try {
      if (!db) db = std::make_unique<PgConnection>(url_);
      bool watch_over = true;
      for (const auto& [table, rows] : find_watched(*db)) {
        if (analyzed.count(table) > 0) continue;
        if (table == kTables[0] || table == kTables[1]) watch_over = false;
        if (rows < kFirstStatisticsRows) continue;
        db->exec("ANALYZE " + table);  // a name of kTables, never input
        analyzed.insert(table);
        ops::log_info("store_statistics_gathered", {{"table", table}, {"rows", rows}});
      }
      if (watch_over) return;
      failures = 0;
    } catch (const PgError& e) {
      // An outage (the store's own connections report it), or no right to analyze a table owned
      // by another role. Connect again next time; after many failures in a row, leave it to
      // autovacuum.
      if (failures == 0) ops::log_warn("store_statistics_not_gathered", {{"error", e.what()}});
      if (++failures >= kMaxFailures) return;
      db.reset();
    }
  } while (!stop_requested_for(next_wait()));
}

}  // namespace ttb::store
