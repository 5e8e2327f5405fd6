#include "tenants/test_catalog.h"

#include <nlohmann/json.hpp>

namespace ttb::tenants {

namespace {

// `out` = the string member `key`, or `fallback` when it is absent or null; false for any other
// type.
bool optional_text(const nlohmann::json& item, const char* key, const std::string& fallback,
                   std::string& out) {
  auto it = item.find(key);
  if (it == item.end() || it->is_null()) {
    out = fallback;
    return true;
  }
  if (!it->is_string()) return false;
  out = it->get<std::string>();
  return true;
}

}  // namespace

std::optional<std::vector<TestInfo>> parse_tests(const std::string& json, std::string& error) {
  auto doc = nlohmann::json::parse(json, nullptr, false);
  if (!doc.is_object() || !doc.contains("tests") || !doc["tests"].is_array()) {
    error = "the plugin's test list is not {\"tests\":[...]}";
    return std::nullopt;
  }
  std::vector<TestInfo> tests;
  for (const auto& item : doc["tests"]) {
    if (!item.is_object() || !item.contains("id") || !item["id"].is_string() ||
        item["id"].get<std::string>().empty()) {
      error = "a test in the plugin's list has no string id";
      return std::nullopt;
    }
    TestInfo test;
    test.id = item["id"].get<std::string>();
    // Plugin output is outside input: a member of the wrong type is refused, never thrown on.
    if (!optional_text(item, "name", test.id, test.name) ||
        !optional_text(item, "kind", "assessment", test.kind) ||
        !optional_text(item, "description", "", test.description)) {
      error = "test '" + test.id + "' in the plugin's list has a name, kind or description " +
              "that is not a string";
      return std::nullopt;
    }
    if (item.contains("duration_minutes") && item["duration_minutes"].is_number_integer()) {
      test.duration_minutes = item["duration_minutes"].get<int>();
    }
    tests.push_back(std::move(test));
  }
  return tests;
}

TestCatalog::TestCatalog(std::chrono::seconds ttl, std::chrono::milliseconds first_fetch_wait,
                         Clock clock)
    : ttl_(ttl), first_fetch_wait_(first_fetch_wait), clock_(std::move(clock)) {}

void TestCatalog::harvest(Entry& entry) {
  if (!entry.refreshing) return;
  if (entry.refreshing->wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
  plugins::CallResult result = entry.refreshing->get();
  entry.refreshing.reset();
  entry.fetched_at = clock_();
  std::string error;
  std::optional<std::vector<TestInfo>> tests;
  if (result.ok()) {
    tests = parse_tests(result.json, error);
  } else {
    error = std::string(plugins::to_string(result.status)) +
            (result.detail.empty() ? "" : ": " + result.detail);
  }
  if (tests) {
    entry.listing = TestListing{std::move(*tests), true, false, ""};
  } else {
    entry.listing.stale = entry.listing.known;
    entry.listing.error = error;
  }
}

TestCatalog::Entry& TestCatalog::entry_for(const std::shared_ptr<plugins::Provider>& provider) {
  auto it = entries_.find(provider.get());
  if (it != entries_.end() && it->second.owner.lock() == provider) return it->second;
  std::erase_if(entries_, [](const auto& kv) { return kv.second.owner.expired(); });
  Entry& entry = entries_[provider.get()];
  entry = Entry{};
  entry.owner = provider;
  return entry;
}

TestListing TestCatalog::peek(const std::shared_ptr<plugins::Provider>& provider) {
  std::lock_guard lock(mutex_);
  Entry& entry = entry_for(provider);
  harvest(entry);
  return entry.listing;
}

TestListing TestCatalog::get(const std::shared_ptr<plugins::Provider>& provider) {
  std::shared_future<plugins::CallResult> pending;
  {
    std::lock_guard lock(mutex_);
    Entry& entry = entry_for(provider);
    harvest(entry);
    const bool expired =
        !entry.listing.known || entry.listing.stale || clock_() - entry.fetched_at >= ttl_;
    if (expired && !entry.refreshing) entry.refreshing = provider->list_tests().share();
    if (entry.listing.known || !entry.refreshing) return entry.listing;
    pending = *entry.refreshing;
  }
  // Nothing known yet: this request waits for the first answer, boundedly.
  pending.wait_for(first_fetch_wait_);
  std::lock_guard lock(mutex_);
  Entry& entry = entry_for(provider);
  harvest(entry);
  if (!entry.listing.known && entry.listing.error.empty() && entry.refreshing) {
    TestListing waiting;
    waiting.error = "the vendor has not answered yet";
    return waiting;
  }
  return entry.listing;
}

}  // namespace ttb::tenants
