#pragma once
// The tests each provider offers, for Teamtailor's "send test" pop-up (GET /config). Lists are
// cached per provider instance with a TTL and refreshed in the background: a request never waits
// for a vendor when a list is known. When the vendor is down the last good list is served and
// flagged stale; only a provider that never answered makes a request wait (bounded).

#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "plugins/provider.h"

namespace ttb::tenants {

struct TestInfo {
  std::string id;
  std::string name;
  std::string kind;  // "assessment" | "background_check"
  std::string description;
  std::optional<int> duration_minutes;
};

// Parses a list_tests payload; nullopt (and `error`) when it is not {"tests":[{id,name,...}]}.
// A test's bad optional field (a non-string name, an unknown kind, ...) is dropped, keeping its
// default, and named in `dropped` as "<test id>.<field>"; a bad id refuses the whole list.
std::optional<std::vector<TestInfo>> parse_tests(const std::string& json, std::string& error);
std::optional<std::vector<TestInfo>> parse_tests(const std::string& json, std::string& error,
                                                 std::vector<std::string>& dropped);

struct TestListing {
  std::vector<TestInfo> tests;
  bool known = false;  // a list was fetched at least once (`tests` may still be empty)
  bool stale = false;  // the last refresh failed; `tests` is the last good list
  std::string error;   // why the last refresh failed (no secrets)
};

class TestCatalog {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  TestCatalog(
      std::chrono::seconds ttl, std::chrono::milliseconds first_fetch_wait,
      Clock clock = [] { return std::chrono::steady_clock::now(); });

  // The provider's tests. Waits up to first_fetch_wait only when nothing is known yet.
  TestListing get(const std::shared_ptr<plugins::Provider>& provider);

  // What is known now, without starting a fetch or waiting (webhook validation uses this).
  TestListing peek(const std::shared_ptr<plugins::Provider>& provider);

 private:
  struct Entry {
    std::weak_ptr<plugins::Provider> owner;  // tells a reused address from the same instance
    TestListing listing;
    std::chrono::steady_clock::time_point fetched_at{};
    std::optional<std::shared_future<plugins::CallResult>> refreshing;
  };

  // Folds a finished refresh into the entry. Caller holds mutex_.
  void harvest(Entry& entry);
  // The entry of this instance, created (and dead instances' entries dropped) when new.
  Entry& entry_for(const std::shared_ptr<plugins::Provider>& provider);

  std::chrono::seconds ttl_;
  std::chrono::milliseconds first_fetch_wait_;
  Clock clock_;
  std::mutex mutex_;
  // Keyed by instance: a reloaded provider with new settings starts with a fresh list.
  std::map<const plugins::Provider*, Entry> entries_;
};

}  // namespace ttb::tenants
