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
#include <unordered_set>
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

// Whether a provider offers a test, as far as its last good list tells.
enum class TestOffer {
  offered,
  not_offered,
  unknown,  // no list was fetched yet: the caller cannot refuse on it
};

class TestCatalog {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  TestCatalog(
      std::chrono::seconds ttl, std::chrono::milliseconds first_fetch_wait,
      Clock clock = [] { return std::chrono::steady_clock::now(); });

  // The provider's tests. Waits up to first_fetch_wait only when nothing is known yet.
  TestListing get(const std::shared_ptr<plugins::Provider>& provider);

  // What is known now, without starting a fetch or waiting.
  TestListing peek(const std::shared_ptr<plugins::Provider>& provider);

  // Whether `test_id` is in what is known now, like peek() (no fetch, no wait) but without
  // copying the list: every accepted webhook asks this. A stale list still answers.
  TestOffer offers(const std::shared_ptr<plugins::Provider>& provider, const std::string& test_id);

 private:
  struct Entry {
    std::weak_ptr<plugins::Provider> owner;  // tells a reused address from the same instance
    TestListing listing;
    // The ids of `listing.tests`, replaced whole when a list arrives and only read after: a reader
    // holding it checks without mutex_. Null until a list is known.
    std::shared_ptr<const std::unordered_set<std::string>> test_ids;
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
