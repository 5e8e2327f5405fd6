// hackerrank_api: the retry time of a 429 and the words of HackerRank's errors, and which
// next-page links are followed. The codes -> statuses mapping and the URL helpers are the SDK's
// (tests/sdk/vendor_error_test.cc, tests/sdk/url_test.cc).
#include "hackerrank_api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace ttb::hackerrank {
namespace {

ttb::sdk::HttpResponse answer(int code, ttb::sdk::Headers headers = {}) {
  ttb::sdk::HttpResponse r;
  r.status = TTB_STATUS_OK;
  r.http_status = code;
  r.headers = std::move(headers);
  return r;
}

constexpr std::int64_t kNow = 1'750'000'000'000;  // epoch ms

TEST(HackerRankVendorErrors, RetryAfterComesFromRetryAfterThenResetThenOneSecond) {
  EXPECT_EQ(rate_limit_retry_ms(answer(429, {{"Retry-After", "3"}}), kNow), 3000u);
  EXPECT_EQ(rate_limit_retry_ms(answer(429, {{"X-RateLimit-Reset", "2"}}), kNow), 2000u);
  EXPECT_EQ(rate_limit_retry_ms(
                answer(429, {{"X-RateLimit-Reset", std::to_string(kNow / 1000 + 5)}}), kNow),
            5000u);
  EXPECT_EQ(rate_limit_retry_ms(answer(429), kNow), 1000u);
  EXPECT_EQ(rate_limit_retry_ms(answer(429, {{"Retry-After", "soon"}}), kNow), 1000u);
  EXPECT_EQ(rate_limit_retry_ms(answer(429, {{"Retry-After", "999999"}}), kNow), kMaxRetryAfterMs);
}

TEST(HackerRankVendorErrors, DetailsSayWhatWasBeingDoneInHackerRanksWords) {
  auto r = answer(401);
  r.body = R"({"email":"ada@example.org"})";
  std::string detail = vendor_error(r, "list the tests", kNow).what();
  EXPECT_EQ(detail,
            "HackerRank refused the API key (HTTP 401) when asked to list the tests; check the "
            "provider's api_key (and that the account is not locked)");
  EXPECT_EQ(std::string(vendor_error(answer(503), "x", kNow).what()),
            "HackerRank is unavailable (HTTP 503) when asked to x");
  EXPECT_EQ(vendor_error(answer(503, {{"Retry-After", "7"}}), "x", kNow).retry_after_ms(), 0u);
}

// ---- list_tests paging

using nlohmann::json;

const std::string kBase = "https://www.hackerrank.com/x/api/v3";

TEST(HackerRankTestListing, FollowsNextOnTheSameOriginOnly) {
  json page = {{"data", json::array({json::object()})},
               {"next", kBase + "/tests?limit=100&offset=100"}};
  EXPECT_EQ(next_tests_page_url(page, kBase, first_tests_page_url(kBase)),
            kBase + "/tests?limit=100&offset=100");
  page["next"] = "/x/api/v3/tests?limit=100&offset=100";
  EXPECT_EQ(next_tests_page_url(page, kBase, first_tests_page_url(kBase)),
            kBase + "/tests?limit=100&offset=100");
  page["next"] = "";
  EXPECT_FALSE(next_tests_page_url(page, kBase, first_tests_page_url(kBase)));
  page["next"] = nullptr;
  EXPECT_FALSE(next_tests_page_url(page, kBase, first_tests_page_url(kBase)));
  for (const char* evil :
       {"https://evil.example/x/api/v3/tests", "//evil.example/tests",
        "https://www.hackerrank.com@evil.example/", "http://www.hackerrank.com/x/api/v3/tests"}) {
    page["next"] = evil;
    EXPECT_THROW(next_tests_page_url(page, kBase, ""), ttb::sdk::Error) << evil;
  }
}

TEST(HackerRankTestListing, StopsOnAnEmptyPageAndRefusesASelfLink) {
  json page = {{"data", json::array()}, {"next", kBase + "/tests?offset=100"}};
  EXPECT_FALSE(next_tests_page_url(page, kBase, ""));
  page = {{"data", json::array({json::object()})}, {"next", kBase + "/tests?offset=100"}};
  EXPECT_THROW(next_tests_page_url(page, kBase, kBase + "/tests?offset=100"), ttb::sdk::Error);
}

}  // namespace
}  // namespace ttb::hackerrank
