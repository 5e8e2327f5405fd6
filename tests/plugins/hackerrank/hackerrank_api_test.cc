// hackerrank_api: HTTP answers -> ABI statuses and the retry time of a 429, which next-page links
// are followed, and ids encoded as one URL segment.
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

TEST(HackerRankVendorErrors, MapsCodesToStatuses) {
  EXPECT_EQ(vendor_error(answer(401), "x", kNow).status(), TTB_STATUS_AUTH);
  EXPECT_EQ(vendor_error(answer(403), "x", kNow).status(), TTB_STATUS_AUTH);
  EXPECT_EQ(vendor_error(answer(404), "x", kNow).status(), TTB_STATUS_NOT_FOUND);
  EXPECT_EQ(vendor_error(answer(400), "x", kNow).status(), TTB_STATUS_INVALID);
  EXPECT_EQ(vendor_error(answer(503), "x", kNow).status(), TTB_STATUS_VENDOR_UNAVAILABLE);
  auto limited = vendor_error(answer(429, {{"Retry-After", "4"}}), "x", kNow);
  EXPECT_EQ(limited.status(), TTB_STATUS_RATE_LIMITED);
  EXPECT_EQ(limited.retry_after_ms(), 4000u);
  ttb::sdk::HttpResponse down;
  down.status = TTB_STATUS_VENDOR_UNAVAILABLE;
  down.error = "connection refused";
  EXPECT_EQ(vendor_error(down, "x", kNow).status(), TTB_STATUS_VENDOR_UNAVAILABLE);
}

// ---- list_tests paging and URLs

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

TEST(HackerRankUrls, EncodesIdsAsOneSegment) {
  EXPECT_EQ(encode_segment("4711"), "4711");
  EXPECT_EQ(encode_segment("../admin?x=1"), "..%2Fadmin%3Fx%3D1");
  EXPECT_EQ(encode_segment(".."), "%2E%2E");
}

}  // namespace
}  // namespace ttb::hackerrank
