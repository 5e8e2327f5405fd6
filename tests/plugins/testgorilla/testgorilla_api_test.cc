// testgorilla_api: the retry time of a 429 from TestGorilla's X-RateLimit-Reset and what its
// errors say. The codes -> statuses mapping and encode_segment are the SDK's
// (tests/sdk/vendor_error_test.cc, tests/sdk/url_test.cc); the calls themselves run against the
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

TEST(TestGorillaVendorErrors, DetailsSayWhatWasBeingDoneAndCarryNoBody) {
  auto r = answer(500);
  r.body = R"({"email":"ada@example.org"})";
  std::string detail = vendor_error(r, "invite the candidate", kNow).what();
  EXPECT_NE(detail.find("invite the candidate"), std::string::npos);
  EXPECT_EQ(detail.find("ada@example.org"), std::string::npos);
  EXPECT_EQ(std::string(vendor_error(answer(404), "x", kNow).what()),
            "TestGorilla does not know the assessment or candidate (HTTP 404) when asked to x");
}

}  // namespace
}  // namespace ttb::testgorilla
