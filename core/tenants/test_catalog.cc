#include "tenants/test_catalog.h"

#include <nlohmann/json.hpp>

#include "ops/log.h"
#include "ttbridge/test_list.hpp"

namespace ttb::tenants {

namespace {

constexpr int kMaxTestListDepth = 8;  // {"tests":[{...}]} needs 3; a little room for extras
constexpr std::size_t kMaxTestTextBytes = 4096;

bool has_control_character(const std::string& text) {
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) return true;
  }
  return false;
}

// A string member that is present, a string, short and free of control characters; otherwise
// nullopt (the caller keeps its default), and a note in `dropped` unless it was simply absent.
std::optional<std::string> text_member(const nlohmann::json& item, const char* key,
                                       std::vector<std::string>& dropped) {
  auto it = item.find(key);
  if (it == item.end() || it->is_null()) return std::nullopt;
  if (!it->is_string() || it->get_ref<const std::string&>().size() > kMaxTestTextBytes ||
      has_control_character(it->get_ref<const std::string&>())) {
    dropped.emplace_back(key);
    return std::nullopt;
  }
  return it->get<std::string>();
}

}  // namespace

std::optional<std::vector<TestInfo>> parse_tests(const std::string& json, std::string& error) {
  std::vector<std::string> dropped;
  return parse_tests(json, error, dropped);
}

std::optional<std::vector<TestInfo>> parse_tests(const std::string& json, std::string& error,
                                                 std::vector<std::string>& dropped) {
  // Plugin output is untrusted: too deep a document is refused while parsing, so nothing
  // recurses over it later.
  bool too_deep = false;
  auto doc = nlohmann::json::parse(
      json,
      [&too_deep](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
        if (depth > kMaxTestListDepth) too_deep = true;
        return !too_deep;
      },
      false);
  if (too_deep) {
    error =
        "the plugin's test list nests deeper than " + std::to_string(kMaxTestListDepth) + " levels";
    return std::nullopt;
  }
  if (!doc.is_object() || !doc.contains("tests") || !doc["tests"].is_array()) {
    error = "the plugin's test list is not {\"tests\":[...]}";
    return std::nullopt;
  }
  std::vector<TestInfo> tests;
  for (const auto& item : doc["tests"]) {
    if (!item.is_object() || !item.contains("id") || !item["id"].is_string() ||
        item["id"].get_ref<const std::string&>().empty()) {
      error = "a test in the plugin's list has no string id";
      return std::nullopt;
    }
    const auto& id = item["id"].get_ref<const std::string&>();
    if (!sdk::is_valid_test_id(id)) {
      error = "a test id in the plugin's list is longer than " +
              std::to_string(sdk::kMaxTestIdBytes) + " bytes or has a control character";
      return std::nullopt;
    }
    TestInfo test;
    test.id = id;
    std::vector<std::string> bad;
    test.name = text_member(item, "name", bad).value_or(test.id);
    test.kind = text_member(item, "kind", bad).value_or("assessment");
    if (test.kind != "assessment" && test.kind != "background_check") {
      bad.emplace_back("kind");
      test.kind = "assessment";
    }
    test.description = text_member(item, "description", bad).value_or("");
    if (auto it = item.find("duration_minutes"); it != item.end() && !it->is_null()) {
      if (it->is_number_integer() && it->get<std::int64_t>() > 0 &&
          it->get<std::int64_t>() <= 100000) {
        test.duration_minutes = static_cast<int>(it->get<std::int64_t>());
      } else {
        bad.emplace_back("duration_minutes");
      }
    }
    for (const auto& field : bad) dropped.push_back(test.id + "." + field);
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
    std::vector<std::string> dropped;
    tests = parse_tests(result.json, error, dropped);
    if (!dropped.empty()) {
      auto owner = entry.owner.lock();
      std::string fields;
      for (const auto& field : dropped) fields += (fields.empty() ? "" : ",") + field;
      ops::log_warn("test_list_fields_dropped", {{"tenant", owner ? owner->tenant() : ""},
                                                 {"provider", owner ? owner->name() : ""},
                                                 {"fields", fields}});
    }
  } else {
    error = std::string(plugins::to_string(result.status)) +
            (result.detail.empty() ? "" : ": " + result.detail);
  }
  if (tests) {
    auto ids = std::make_shared<std::unordered_set<std::string>>();
    ids->reserve(tests->size());
    for (const auto& test : *tests) ids->insert(test.id);
    entry.test_ids = std::move(ids);
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

TestOffer TestCatalog::offers(const std::shared_ptr<plugins::Provider>& provider,
                              const std::string& test_id) {
  std::shared_ptr<const std::unordered_set<std::string>> ids;
  {
    std::lock_guard lock(mutex_);
    Entry& entry = entry_for(provider);
    harvest(entry);
    ids = entry.test_ids;
  }
  if (!ids) return TestOffer::unknown;
  return ids->contains(test_id) ? TestOffer::offered : TestOffer::not_offered;
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
