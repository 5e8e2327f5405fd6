#pragma once
// A read-only look at the daemons' store from the outside (the test's own connection, never the
// store library, so it cannot requeue jobs or migrate while a daemon runs): which orders exist,
// where they stand, and which jobs they have. A SQLite file, or a PostgreSQL schema.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ttb::crash {

struct StoredOrder {
  std::string id, status;
  std::int64_t result_version = 0, pushed_version = 0;
};

struct StoredJob {
  std::int64_t id = 0;
  std::string order_id, kind, state, last_error;
};

struct StoreSnapshot {
  std::map<std::string, StoredOrder> orders;
  std::vector<StoredJob> jobs;

  // nullopt (and `error`) when the file cannot be read right now.
  static std::optional<StoreSnapshot> read(const std::filesystem::path& db, std::string& error);
  // The same from PostgreSQL: `url` is the daemons' store URL (its schema on the search path).
  static std::optional<StoreSnapshot> read_postgresql(const std::string& url, std::string& error);

  // Nothing left to do but polls: every order is past "received", every result is pushed, and
  // no invite or push job is queued or running.
  bool drained() const;
  std::vector<StoredJob> jobs_of(const std::string& order_id) const;
};

// Reads a store: StoreSnapshot::read or read_postgresql bound to its place.
using SnapshotReader = std::function<std::optional<StoreSnapshot>(std::string& error)>;

// Reads the store every 200 ms until it is drained() or `timeout` passed; true when it drained.
bool wait_until_drained(const SnapshotReader& read, std::chrono::seconds timeout);

}  // namespace ttb::crash
