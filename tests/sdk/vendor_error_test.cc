// vendor_error.hpp: a vendor's HTTP answer -> the ABI status a plugin fails the call with, the
// wait a 429 asks for, and details that say what was being done without the vendor's body.
#include "ttbridge/vendor_error.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using ttb::sdk::error_for_answer;
using ttb::sdk::rate_limit_wait_ms;
using ttb::sdk::retry_after_ms;

ttb::sdk::HttpResponse answer(int code, ttb::sdk::Headers headers = {}) {
  ttb::sdk::HttpResponse r;
  r.status = TTB_STATUS_OK;
  r.http_status = code;
  r.headers = std::move(headers);
  return r;
}

constexpr std::int64_t kNow = 1'750'000'000'000;  // epoch ms

constexpr ttb::sdk::VendorTerms kTerms{.vendor = "Acme",
                                       .credential = "the API key",
                                       .credential_hint = "check the provider's api_key",
                                       .unknown = "the test or candidate"};

TEST(SdkVendorError, SucceededMeansA2xxAnswer) {
  EXPECT_TRUE(ttb::sdk::succeeded(answer(200)));
  EXPECT_TRUE(ttb::sdk::succeeded(answer(204)));
  EXPECT_FALSE(ttb::sdk::succeeded(answer(302)));
  EXPECT_FALSE(ttb::sdk::succeeded(answer(404)));
  ttb::sdk::HttpResponse lost;
  lost.http_status = 200;  // a transport failure never counts, whatever the code says
  EXPECT_FALSE(ttb::sdk::succeeded(lost));
}

TEST(SdkVendorError, MapsCodesToStatuses) {
  EXPECT_EQ(error_for_answer(answer(401), "x", kNow, kTerms).status(), TTB_STATUS_AUTH);
  EXPECT_EQ(error_for_answer(answer(403), "x", kNow, kTerms).status(), TTB_STATUS_AUTH);
  EXPECT_EQ(error_for_answer(answer(404), "x", kNow, kTerms).status(), TTB_STATUS_NOT_FOUND);
  EXPECT_EQ(error_for_answer(answer(400), "x", kNow, kTerms).status(), TTB_STATUS_INVALID);
  EXPECT_EQ(error_for_answer(answer(422), "x", kNow, kTerms).status(), TTB_STATUS_INVALID);
  EXPECT_EQ(error_for_answer(answer(503), "x", kNow, kTerms).status(),
            TTB_STATUS_VENDOR_UNAVAILABLE);
  EXPECT_EQ(error_for_answer(answer(502), "x", kNow, kTerms).status(),
            TTB_STATUS_VENDOR_UNAVAILABLE);
  auto limited = error_for_answer(answer(429, {{"Retry-After", "4"}}), "x", kNow, kTerms);
  EXPECT_EQ(limited.status(), TTB_STATUS_RATE_LIMITED);
  EXPECT_EQ(limited.retry_after_ms(), 4000u);
  auto reset = error_for_answer(answer(429, {{"X-RateLimit-Reset", "4"}}), "x", kNow, kTerms);
  EXPECT_EQ(reset.status(), TTB_STATUS_RATE_LIMITED);
  EXPECT_EQ(reset.retry_after_ms(), 4000u);
}

TEST(SdkVendorError, AnAnswerThatDidNotArriveIsUnavailableOrCancelled) {
  ttb::sdk::HttpResponse lost;
  lost.status = TTB_STATUS_VENDOR_UNAVAILABLE;
  lost.error = "connection refused";
  auto e = error_for_answer(lost, "list the assessments", kNow, kTerms);
  EXPECT_EQ(e.status(), TTB_STATUS_VENDOR_UNAVAILABLE);
  EXPECT_STREQ(e.what(), "could not reach Acme to list the assessments: connection refused");
  ttb::sdk::HttpResponse cancelled;
  cancelled.status = TTB_STATUS_CANCELLED;
  EXPECT_EQ(error_for_answer(cancelled, "x", kNow, kTerms).status(), TTB_STATUS_CANCELLED);
}

TEST(SdkVendorError, A5xxsRetryAfterIsPassedOnOnlyWhenTheVendorAsks) {
  auto down = answer(503, {{"Retry-After", "7"}});
  EXPECT_EQ(error_for_answer(down, "x", kNow, kTerms).retry_after_ms(), 0u);
  auto terms = kTerms;
  terms.unavailable_retry_after = true;
  auto e = error_for_answer(down, "x", kNow, terms);
  EXPECT_EQ(e.status(), TTB_STATUS_VENDOR_UNAVAILABLE);
  EXPECT_EQ(e.retry_after_ms(), 7000u);
}

// Found by the codility_api fuzz target: a 5xx's Retry-After went on uncapped (7503 s outlasts
// the jobs' deadline) and, past 4294967 s, wrapped around to a short wait.
TEST(SdkVendorError, A5xxsRetryAfterIsCappedLikeA429s) {
  auto terms = kTerms;
  terms.unavailable_retry_after = true;
  terms.wait.max_ms = 3'600'000;
  EXPECT_EQ(
      error_for_answer(answer(503, {{"Retry-After", "7503"}}), "x", kNow, terms).retry_after_ms(),
      3'600'000u);
  EXPECT_EQ(error_for_answer(answer(503, {{"Retry-After", "4294968"}}), "x", kNow, terms)
                .retry_after_ms(),
            3'600'000u);
}

TEST(SdkRetryAfter, ALongWaitSaturatesInsteadOfWrapping) {
  EXPECT_EQ(retry_after_ms(answer(503, {{"Retry-After", "4294967"}})), 4'294'967'000u);
  EXPECT_EQ(retry_after_ms(answer(503, {{"Retry-After", "4294968"}})), UINT32_MAX);
  EXPECT_EQ(retry_after_ms(answer(503, {{"Retry-After", "999999999"}})), UINT32_MAX);
  EXPECT_EQ(retry_after_ms(answer(503, {{"Retry-After", "1000000000"}})), 0u);  // > 9 digits
}

TEST(SdkVendorError, DetailsAreInTheVendorsWordsAndNeverCarryTheBody) {
  auto r = answer(400);
  r.body = R"({"email":"ada@example.org","api_key":"secret"})";
  std::string detail = error_for_answer(r, "invite the candidate", kNow, kTerms).what();
  EXPECT_EQ(detail, "Acme rejected the request to invite the candidate (HTTP 400)");
  r.http_status = 500;
  detail = error_for_answer(r, "invite the candidate", kNow, kTerms).what();
  EXPECT_EQ(detail.find("ada@"), std::string::npos);
  EXPECT_EQ(detail, "Acme is unavailable (HTTP 500) when asked to invite the candidate");
  EXPECT_EQ(std::string(error_for_answer(answer(401), "x", kNow, kTerms).what()),
            "Acme refused the API key (HTTP 401) when asked to x; check the provider's api_key");
  EXPECT_EQ(std::string(error_for_answer(answer(404), "x", kNow, kTerms).what()),
            "Acme does not know the test or candidate (HTTP 404) when asked to x");
  auto terms = kTerms;
  terms.rate_limit = "rate limit (500 requests an hour)";
  EXPECT_EQ(std::string(error_for_answer(answer(429), "x", kNow, terms).what()),
            "Acme's rate limit (500 requests an hour) was hit (HTTP 429) when asked to x; retry "
            "in 1000 ms");
}

TEST(SdkRateLimitWait, RetryAfterThenTheResetHeadersThenTheDefault) {
  const ttb::sdk::RateLimitWait wait{};
  EXPECT_EQ(rate_limit_wait_ms(answer(429, {{"Retry-After", "3"}}), kNow, wait), 3000u);
  EXPECT_EQ(rate_limit_wait_ms(answer(429, {{"Retry-After", "3"}, {"X-RateLimit-Reset", "17"}}),
                               kNow, wait),
            3000u);
  EXPECT_EQ(rate_limit_wait_ms(answer(429, {{"X-RateLimit-Reset", "2"}}), kNow, wait), 2000u);
  EXPECT_EQ(rate_limit_wait_ms(answer(429, {{"RateLimit-Reset", "6"}}), kNow, wait), 6000u);
  EXPECT_EQ(rate_limit_wait_ms(answer(429, {{"Retry-After", "soon"}, {"RateLimit-Reset", "6"}}),
                               kNow, wait),
            6000u);
  EXPECT_EQ(rate_limit_wait_ms(answer(429), kNow, wait), wait.default_ms);
}

TEST(SdkRateLimitWait, ReadsEpochResetsOnTheHostClock) {
  const ttb::sdk::RateLimitWait wait{};
  EXPECT_EQ(rate_limit_wait_ms(
                answer(429, {{"X-RateLimit-Reset", std::to_string(kNow / 1000 + 5)}}), kNow, wait),
            5000u);
  // A reset already past: the window is open again.
  EXPECT_EQ(rate_limit_wait_ms(
                answer(429, {{"X-RateLimit-Reset", std::to_string(kNow / 1000 - 5)}}), kNow, wait),
            wait.due_ms);
}

TEST(SdkRateLimitWait, UsesTheVendorsDefaultsAndCap) {
  ttb::sdk::RateLimitWait wait;
  wait.default_ms = 60'000;
  wait.due_ms = 1000;
  wait.max_ms = 3600 * 1000;
  wait.reset_headers = {"X-RateLimit-Reset", ""};
  EXPECT_EQ(rate_limit_wait_ms(answer(429), kNow, wait), 60'000u);
  EXPECT_EQ(rate_limit_wait_ms(answer(429, {{"X-RateLimit-Reset", "soon"}}), kNow, wait), 60'000u);
  EXPECT_EQ(rate_limit_wait_ms(answer(429, {{"X-RateLimit-Reset", "0"}}), kNow, wait), 1000u);
  EXPECT_EQ(rate_limit_wait_ms(answer(429, {{"Retry-After", "0"}}), kNow, wait), 1000u);
  EXPECT_EQ(rate_limit_wait_ms(answer(429, {{"Retry-After", "999999"}}), kNow, wait), 3'600'000u);
  EXPECT_EQ(rate_limit_wait_ms(answer(429, {{"X-RateLimit-Reset", "999999"}}), kNow, wait),
            3'600'000u);
  // Only the vendor's own header is read.
  EXPECT_EQ(rate_limit_wait_ms(answer(429, {{"RateLimit-Reset", "6"}}), kNow, wait), 60'000u);
  // More than 12 digits is not a number a vendor sends.
  EXPECT_EQ(rate_limit_wait_ms(answer(429, {{"Retry-After", "1234567890123"}}), kNow, wait),
            60'000u);
}

}  // namespace
