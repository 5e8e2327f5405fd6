// The test catalogue behind GET /config: one vendor call per TTL, the last good list served
// (flagged stale) while the vendor is down, an unknown list when it never answered, and peek()
// and offers() never calling the vendor; offers() stays right while other threads refresh. The
// clock is injected; the provider answers from a script.

#include <atomic>
#include <deque>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tenants/test_catalog.h"

namespace ttb::tenants {
namespace {

using plugins::CallResult;
using plugins::CallStatus;

CallResult listed(const std::string& tests_json) {
  return {CallStatus::ok, R"({"tests":)" + tests_json + "}", "", std::nullopt};
}
CallResult down() {
  return {CallStatus::vendor_unavailable, "", "HTTP 503", std::nullopt};
}

// A provider whose list_tests answers come from `answers`, in order, already completed.
class ScriptedProvider final : public plugins::Provider {
 public:
  std::deque<CallResult> answers;
  int list_calls = 0;

  const std::string& tenant() const override { return text_; }
  const std::string& name() const override { return text_; }
  const std::string& plugin_name() const override { return text_; }
  const std::string& plugin_version() const override { return text_; }
  bool supports_fetch_order() const override { return false; }
  bool supports_cancel_order() const override { return false; }
  bool supports_run_action() const override { return false; }
  std::future<CallResult> list_tests() override {
    ++list_calls;
    CallResult r = answers.empty() ? down() : answers.front();
    if (!answers.empty()) answers.pop_front();
    return ready(r);
  }
  std::future<CallResult> create_order(std::string) override { return ready(down()); }
  std::future<CallResult> fetch_order(std::string) override { return ready(down()); }
  std::future<CallResult> cancel_order(std::string) override { return ready(down()); }
  std::future<CallResult> run_action(std::string) override { return ready(down()); }
  std::future<CallResult> handle_callback(plugins::CallbackRequest) override {
    return ready(down());
  }

 private:
  static std::future<CallResult> ready(CallResult r) {
    std::promise<CallResult> p;
    p.set_value(std::move(r));
    return p.get_future();
  }
  std::string text_ = "scripted";
};

class TestCatalogTest : public ::testing::Test {
 protected:
  std::chrono::steady_clock::time_point now_{};
  TestCatalog catalog_{std::chrono::seconds(300), std::chrono::milliseconds(1000),
                       [this] { return now_; }};
  std::shared_ptr<ScriptedProvider> provider_ = std::make_shared<ScriptedProvider>();
};

TEST_F(TestCatalogTest, CachesTheListForTheTtl) {
  provider_->answers = {listed(R"([{"id":"t1","name":"One"}])")};
  TestListing first = catalog_.get(provider_);
  ASSERT_TRUE(first.known);
  ASSERT_EQ(first.tests.size(), 1u);
  EXPECT_EQ(first.tests[0].id, "t1");
  now_ += std::chrono::seconds(299);
  EXPECT_EQ(catalog_.get(provider_).tests.size(), 1u);
  EXPECT_EQ(provider_->list_calls, 1);
}

TEST_F(TestCatalogTest, ServesTheLastGoodListFlaggedStaleWhileTheVendorIsDown) {
  provider_->answers = {listed(R"([{"id":"t1","name":"One"}])"), down(), down(),
                        listed(R"([{"id":"t2","name":"Two"}])")};
  ASSERT_TRUE(catalog_.get(provider_).known);
  now_ += std::chrono::seconds(301);
  // The refresh starts in the background; this request still gets the list it knows.
  TestListing during = catalog_.get(provider_);
  EXPECT_TRUE(during.known);
  EXPECT_EQ(during.tests.size(), 1u);

  TestListing stale = catalog_.get(provider_);
  EXPECT_TRUE(stale.known);
  EXPECT_TRUE(stale.stale);
  ASSERT_EQ(stale.tests.size(), 1u);
  EXPECT_EQ(stale.tests[0].id, "t1");
  EXPECT_NE(stale.error.find("503"), std::string::npos) << stale.error;

  // A stale list is asked for again at every request, so it heals as soon as the vendor does.
  TestListing still = catalog_.get(provider_);
  EXPECT_TRUE(still.stale);
  TestListing healed = catalog_.get(provider_);
  EXPECT_FALSE(healed.stale);
  ASSERT_EQ(healed.tests.size(), 1u);
  EXPECT_EQ(healed.tests[0].id, "t2");
}

TEST_F(TestCatalogTest, AVendorThatNeverAnsweredGivesAnUnknownListWithTheReason) {
  provider_->answers = {down()};
  TestListing listing = catalog_.get(provider_);
  EXPECT_FALSE(listing.known);
  EXPECT_TRUE(listing.tests.empty());
  EXPECT_FALSE(listing.error.empty());
}

TEST_F(TestCatalogTest, PeekNeverCallsTheVendor) {
  EXPECT_FALSE(catalog_.peek(provider_).known);
  EXPECT_EQ(provider_->list_calls, 0);
  provider_->answers = {listed(R"([{"id":"t1","name":"One"}])")};
  catalog_.get(provider_);
  now_ += std::chrono::hours(1);
  EXPECT_TRUE(catalog_.peek(provider_).known);
  EXPECT_EQ(provider_->list_calls, 1);
}

TEST_F(TestCatalogTest, OffersAnswersFromWhatIsKnownWithoutCallingTheVendor) {
  EXPECT_EQ(catalog_.offers(provider_, "t1"), TestOffer::unknown);
  EXPECT_EQ(provider_->list_calls, 0);
  provider_->answers = {listed(R"([{"id":"t1","name":"One"},{"id":"t2"}])")};
  catalog_.get(provider_);
  now_ += std::chrono::hours(1);
  EXPECT_EQ(catalog_.offers(provider_, "t1"), TestOffer::offered);
  EXPECT_EQ(catalog_.offers(provider_, "t2"), TestOffer::offered);
  EXPECT_EQ(catalog_.offers(provider_, "t3"), TestOffer::not_offered);
  EXPECT_EQ(catalog_.offers(provider_, "T1"), TestOffer::not_offered);
  EXPECT_EQ(provider_->list_calls, 1);
}

TEST_F(TestCatalogTest, OffersFollowsARefreshAndKeepsTheLastGoodListWhileTheVendorIsDown) {
  provider_->answers = {listed(R"([{"id":"t1"}])"), down(), listed(R"([{"id":"t2"}])")};
  catalog_.get(provider_);
  now_ += std::chrono::seconds(301);
  catalog_.get(provider_);  // starts a refresh that fails
  EXPECT_EQ(catalog_.offers(provider_, "t1"), TestOffer::offered);
  EXPECT_TRUE(catalog_.peek(provider_).stale);
  catalog_.get(provider_);  // the stale list is asked for again; now the vendor answers
  EXPECT_EQ(catalog_.offers(provider_, "t2"), TestOffer::offered);
  EXPECT_EQ(catalog_.offers(provider_, "t1"), TestOffer::not_offered);
  EXPECT_FALSE(catalog_.peek(provider_).stale);
}

TEST_F(TestCatalogTest, AnotherInstanceOfTheProviderStartsUnknown) {
  provider_->answers = {listed(R"([{"id":"t1"}])")};
  catalog_.get(provider_);
  auto reloaded = std::make_shared<ScriptedProvider>();
  EXPECT_EQ(catalog_.offers(reloaded, "t1"), TestOffer::unknown);
  EXPECT_EQ(catalog_.offers(provider_, "t1"), TestOffer::offered);
}

// Webhooks check while GET /config refreshes on other threads: a reader never sees a torn or
// missing list, only one of the lists the vendor gave.
TEST(TestCatalogConcurrency, OffersStaysRightWhileAnotherThreadRefreshes) {
  TestCatalog catalog{std::chrono::seconds(0), std::chrono::milliseconds(1000)};
  auto provider = std::make_shared<ScriptedProvider>();
  constexpr int kRefreshes = 400;
  for (int i = 0; i < kRefreshes; ++i) {
    provider->answers.push_back(i % 2 == 0 ? listed(R"([{"id":"t1"},{"id":"t2"}])")
                                           : listed(R"([{"id":"t1"},{"id":"t3"}])"));
    if (i % 7 == 0) provider->answers.push_back(down());
  }
  ASSERT_TRUE(catalog.get(provider).known);

  std::atomic<bool> refreshing{true};
  std::atomic<int> wrong{0};
  std::atomic<long> checks{0};
  auto check = [&] {
    do {
      if (catalog.offers(provider, "t1") != TestOffer::offered) ++wrong;
      const TestOffer second = catalog.offers(provider, "t2");
      if (second == TestOffer::unknown) ++wrong;
      if (catalog.offers(provider, "t9") != TestOffer::not_offered) ++wrong;
      ++checks;
    } while (refreshing);
  };
  std::thread reader1(check);
  std::thread reader2(check);
  // A TTL of zero: every get() starts a refresh, which the next call of any thread folds in.
  for (int i = 0; i < kRefreshes; ++i) catalog.get(provider);
  refreshing = false;
  reader1.join();
  reader2.join();
  EXPECT_EQ(wrong, 0);
  EXPECT_GT(checks, 0);
  EXPECT_GT(provider->list_calls, kRefreshes / 2);
}

TEST_F(TestCatalogTest, AMalformedListKeepsTheLastGoodOne) {
  provider_->answers = {listed(R"([{"id":"t1","name":"One"}])"),
                        {CallStatus::ok, R"({"tests":"nope"})", "", std::nullopt}};
  catalog_.get(provider_);
  now_ += std::chrono::seconds(301);
  catalog_.get(provider_);
  TestListing after = catalog_.get(provider_);
  EXPECT_TRUE(after.stale);
  ASSERT_EQ(after.tests.size(), 1u);
  EXPECT_FALSE(after.error.empty());
}

// Plugin output is untrusted: a bad optional field is dropped (and named), never thrown on.
TEST_F(TestCatalogTest, BadOptionalFieldsOfATestAreDroppedNotThrownOn) {
  std::string error;
  std::vector<std::string> dropped;
  auto tests = parse_tests(
      R"({"tests":[{"id":"t1","name":42,"kind":"quiz","description":["x"],"duration_minutes":"9"},
                   {"id":"t2","name":"Two\u0007","kind":"background_check","duration_minutes":-1},
                   {"id":"t3","name":null,"duration_minutes":1e300}]})",
      error, dropped);
  ASSERT_TRUE(tests) << error;
  ASSERT_EQ(tests->size(), 3u);
  EXPECT_EQ((*tests)[0].name, "t1");
  EXPECT_EQ((*tests)[0].kind, "assessment");
  EXPECT_EQ((*tests)[0].description, "");
  EXPECT_FALSE((*tests)[0].duration_minutes);
  EXPECT_EQ((*tests)[1].name, "t2");
  EXPECT_EQ((*tests)[1].kind, "background_check");
  EXPECT_FALSE((*tests)[1].duration_minutes);
  EXPECT_EQ((*tests)[2].name, "t3");
  std::vector<std::string> expected = {"t1.name",
                                       "t1.kind",
                                       "t1.description",
                                       "t1.duration_minutes",
                                       "t2.name",
                                       "t2.duration_minutes",
                                       "t3.duration_minutes"};
  EXPECT_EQ(dropped, expected);
}

TEST_F(TestCatalogTest, ABadIdOrADeepDocumentRefusesTheWholeList) {
  std::string error;
  const std::vector<std::string> bads = {
      R"({"tests":[{"id":7}]})",
      R"({"tests":[{"id":"a\nb"}]})",
      R"({"tests":[{"id":")" + std::string(201, 'x') + R"("}]})",
      R"({"tests":[{"id":"t1","x":)" + std::string(100000, '[') + std::string(100000, ']') + "}]}",
      std::string("{\"tests\":[{\"id\":\"t1\",\"name\":\"\xff\"}]}"),
      R"({"tests":{}})"};
  for (const std::string& bad : bads) {
    EXPECT_FALSE(parse_tests(bad, error)) << bad.substr(0, 80);
    EXPECT_FALSE(error.empty());
  }
  // Through the catalogue: a bad name is dropped, the list is served, and nothing throws.
  provider_->answers = {listed(R"([{"id":"t1","name":{"a":1}}])")};
  TestListing listing = catalog_.get(provider_);
  ASSERT_TRUE(listing.known);
  ASSERT_EQ(listing.tests.size(), 1u);
  EXPECT_EQ(listing.tests[0].name, "t1");
}

}  // namespace
}  // namespace ttb::tenants
