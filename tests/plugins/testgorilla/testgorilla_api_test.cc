// testgorilla_api: HTTP answers -> ABI statuses, the retry time of a 429 from TestGorilla's
// X-RateLimit-Reset, and ids encoded as one URL segment. The calls themselves run against the
// fake in provider_test.cc.
#include "testgorilla_api.h"

#include <gtest/gtest.h>

namespace ttb::testgorilla {
namespace {

ttb::sdk::HttpResponse answer(int code, ttb::sdk::Headers headers = {}) {
  ttb::sdk::HttpResponse r;
  r.status = TTB_STATUS_OK;
  r.http_status = code;
  r.headers = std::move(headers);
  return r;
}

constexpr std::int64_t kNow = 1'750'000'000'000;  // epoch ms

TEST(TestGorillaVendorErrors, RetryAfterComesFromTheResetSecondsThenAWholeWindow) {
  EXPECT_EQ(rate_limit_retry_ms(answer(429, {{"X-RateLimit-Reset", "17"}}), kNow), 17000u);
  EXPECT_EQ(
      rate_limit_retry_ms(answer(429, {{"Retry-After", "3"}, {"X-RateLimit-Reset", "17"}}), kNow),
      3000u);
  EXPECT_EQ(rate_limit_retry_ms(
                answer(429, {{"X-RateLimit-Reset", std::to_string(kNow / 1000 + 5)}}), kNow),
            5000u);
  EXPECT_EQ(rate_limit_retry_ms(answer(429, {{"X-RateLimit-Reset", "0"}}), kNow), 1000u);
  EXPECT_EQ(rate_limit_retry_ms(answer(429), kNow), kDefaultRetryAfterMs);
  EXPECT_EQ(rate_limit_retry_ms(answer(429, {{"X-RateLimit-Reset", "soon"}}), kNow),
            kDefaultRetryAfterMs);
  EXPECT_EQ(rate_limit_retry_ms(answer(429, {{"X-RateLimit-Reset", "999999"}}), kNow),
            kMaxRetryAfterMs);
}

TEST(TestGorillaVendorErrors, MapsCodesToStatuses) {
  EXPECT_EQ(vendor_error(answer(401), "x", kNow).status(), TTB_STATUS_AUTH);
  EXPECT_EQ(vendor_error(answer(403), "x", kNow).status(), TTB_STATUS_AUTH);
  EXPECT_EQ(vendor_error(answer(404), "x", kNow).status(), TTB_STATUS_NOT_FOUND);
  EXPECT_EQ(vendor_error(answer(400), "x", kNow).status(), TTB_STATUS_INVALID);
  EXPECT_EQ(vendor_error(answer(502), "x", kNow).status(), TTB_STATUS_VENDOR_UNAVAILABLE);
  auto limited = vendor_error(answer(429, {{"X-RateLimit-Reset", "4"}}), "x", kNow);
  EXPECT_EQ(limited.status(), TTB_STATUS_RATE_LIMITED);
  EXPECT_EQ(limited.retry_after_ms(), 4000u);
  ttb::sdk::HttpResponse unreachable;
  unreachable.status = TTB_STATUS_VENDOR_UNAVAILABLE;
  unreachable.error = "connection refused";
  EXPECT_EQ(vendor_error(unreachable, "list the assessments", kNow).status(),
            TTB_STATUS_VENDOR_UNAVAILABLE);
}

TEST(TestGorillaVendorErrors, DetailsSayWhatWasBeingDoneAndCarryNoBody) {
  auto r = answer(500);
  r.body = R"({"email":"ada@example.org"})";
  std::string detail = vendor_error(r, "invite the candidate", kNow).what();
  EXPECT_NE(detail.find("invite the candidate"), std::string::npos);
  EXPECT_EQ(detail.find("ada@example.org"), std::string::npos);
}

TEST(TestGorillaUrls, IdsAreOneSegment) {
  EXPECT_EQ(encode_segment("501"), "501");
  EXPECT_EQ(encode_segment("5/../x?y"), "5%2F..%2Fx%3Fy");
  EXPECT_EQ(encode_segment(".."), "%2E%2E");
}

}  // namespace
}  // namespace ttb::testgorilla
