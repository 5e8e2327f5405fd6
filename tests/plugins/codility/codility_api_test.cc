// codility_api: the retry time of a 429 and what Codility's errors carry, and which next-page
// links are followed. The codes -> statuses mapping and the URL helpers are the SDK's
// (tests/sdk/vendor_error_test.cc, tests/sdk/url_test.cc).
#include "codility_api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace ttb::codility {
namespace {

using nlohmann::json;

ttb::sdk::HttpResponse answer(int code, ttb::sdk::Headers headers = {}) {
  ttb::sdk::HttpResponse r;
  r.status = TTB_STATUS_OK;
  r.http_status = code;
  r.headers = std::move(headers);
  return r;
}

constexpr std::int64_t kNow = 1'750'000'000'000;  // epoch ms

TEST(CodilityVendorErrors, RetryAfterComesFromRetryAfterThenResetThenAMinute) {
  EXPECT_EQ(rate_limit_retry_ms(answer(429, {{"Retry-After", "3"}}), kNow), 3000u);
  EXPECT_EQ(rate_limit_retry_ms(answer(429, {{"X-RateLimit-Reset", "2"}}), kNow), 2000u);
  EXPECT_EQ(rate_limit_retry_ms(
                answer(429, {{"X-RateLimit-Reset", std::to_string(kNow / 1000 + 5)}}), kNow),
            5000u);
  // No usable header: the limit is hourly, so a second would only burn requests.
  EXPECT_EQ(rate_limit_retry_ms(answer(429), kNow), kDefaultRetryAfterMs);
  EXPECT_EQ(kDefaultRetryAfterMs, 60'000u);
  EXPECT_EQ(rate_limit_retry_ms(answer(429, {{"Retry-After", "soon"}}), kNow),
            kDefaultRetryAfterMs);
  EXPECT_EQ(rate_limit_retry_ms(answer(429, {{"Retry-After", "999999"}}), kNow), kMaxRetryAfterMs);
}

// The codes -> statuses mapping itself is the SDK's (tests/sdk/vendor_error_test.cc); Codility
// also passes a 503's Retry-After on.
TEST(CodilityVendorErrors, PassesA503sRetryAfterOn) {
  auto down = vendor_error(answer(503, {{"Retry-After", "7"}}), "x", kNow);
  EXPECT_EQ(down.status(), TTB_STATUS_VENDOR_UNAVAILABLE);
  EXPECT_EQ(down.retry_after_ms(), 7000u);
  auto limited = vendor_error(answer(429, {{"Retry-After", "4"}}), "x", kNow);
  EXPECT_EQ(limited.status(), TTB_STATUS_RATE_LIMITED);
  EXPECT_EQ(limited.retry_after_ms(), 4000u);
  // At most an hour either way (found by the codility_api fuzz target: a 503 asked for 7503 s).
  EXPECT_EQ(vendor_error(answer(503, {{"Retry-After", "7503"}}), "x", kNow).retry_after_ms(),
            kMaxRetryAfterMs);
}

TEST(CodilityVendorErrors, DetailNeverCarriesTheBody) {
  auto r = answer(400);
  r.body = R"({"email":"ada@example.org"})";
  std::string detail = vendor_error(r, "invite the candidate", kNow).what();
  EXPECT_EQ(detail.find("ada@"), std::string::npos);
  EXPECT_NE(detail.find("invite the candidate"), std::string::npos);
  EXPECT_EQ(std::string(vendor_error(answer(429), "x", kNow).what()),
            "Codility's rate limit (500 requests an hour) was hit (HTTP 429) when asked to x; "
            "retry in 60000 ms");
}

TEST(CodilityPaging, BuildsTheFirstUrls) {
  EXPECT_EQ(first_tests_page_url("https://codility.com/api"),
            "https://codility.com/api/tests/?is_archived=False");
  EXPECT_EQ(sessions_lookup_url("https://codility.com/api", "12/x", "pr 1"),
            "https://codility.com/api/tests/12%2Fx/sessions/?candidate=pr%201");
}

TEST(CodilityPaging, FollowsNextOnlyOnTheSameOrigin) {
  const std::string base = "https://codility.com/api";
  const std::string current = base + "/tests/?is_archived=False";
  json page = {{"next", base + "/tests/?page=2"}, {"results", json::array({{{"id", 1}}})}};
  EXPECT_EQ(next_page_url(page, base, current), base + "/tests/?page=2");
  page["next"] = "/api/tests/?page=3";
  EXPECT_EQ(next_page_url(page, base, current), "https://codility.com/api/tests/?page=3");
  page["next"] = nullptr;
  EXPECT_FALSE(next_page_url(page, base, current));
  page["next"] = base + "/tests/?page=2";
  page["results"] = json::array();
  EXPECT_FALSE(next_page_url(page, base, current));  // an empty page ends the walk
  page["results"] = json::array({1});
  page["next"] = "https://evil.example/api/tests/?page=2";
  try {
    next_page_url(page, base, current);
    ADD_FAILURE() << "followed a link to another host";
  } catch (const sdk::Error& e) {
    EXPECT_EQ(e.status(), TTB_STATUS_INVALID);
  }
  page["next"] = current;
  try {
    next_page_url(page, base, current);
    ADD_FAILURE() << "followed a link to the same page";
  } catch (const sdk::Error& e) {
    EXPECT_EQ(e.status(), TTB_STATUS_VENDOR_UNAVAILABLE);
  }
}

}  // namespace
}  // namespace ttb::codility
