#pragma once
// The first statistics of a new PostgreSQL database's tables, gathered as soon as they hold rows.
//
// A prepared statement keeps its plan until its tables' statistics change, and a new database's
// tables have none until autovacuum first analyzes them, up to autovacuum_naptime (a minute by
// default) after their first rows. So plans made in a new database's first seconds, on nearly
// empty tables, outlive them. One did: the read that finishes a job counts its order's queued
// jobs, and planned on an empty `jobs` it walked the index of every queued job by state and
// tenant instead of the order's few by `jobs_by_order`: 3-4.5 ms per finish with a few thousand
// queued, and a daemon made some two thirds of the invitations it could (docs/performance.md,
// "PostgreSQL: plans made on an empty table").
//
// This runs ANALYZE on each store table whose statistics, if any, were gathered while it held
// fewer than kFirstStatisticsRows rows, once it holds that many; ANALYZE makes every session plan
// its statements again. (Statistics of a smaller table would not do: planned on 150 rows, the
// same read scanned the whole table.) It checks twice a second for the first two minutes, then
// every ten seconds, on a thread and connection of its own, and ends once `jobs` and `orders`
// have such statistics, whoever gathered them: on a database that holds them, after one query.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace ttb::store {

inline constexpr long kFirstStatisticsRows = 1000;

class PgFirstStatistics {
 public:
  explicit PgFirstStatistics(std::string url);
  // Stops the thread; an ANALYZE or a connection attempt under way (at most the connect timeout)
  // first finishes.
  ~PgFirstStatistics();
  PgFirstStatistics(const PgFirstStatistics&) = delete;
  PgFirstStatistics& operator=(const PgFirstStatistics&) = delete;

 private:
  void run();
  bool stop_requested_for(std::chrono::milliseconds wait);
  std::chrono::milliseconds next_wait() const;

  std::string url_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ttb::store
