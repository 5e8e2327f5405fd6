// The failed-authentication budget: a token bucket per key, 429 with Retry-After once spent,
// other keys unaffected, tokens back at the configured rate, and one aggregated log line per key
// per window. The clock is injected.

#include <string>

#include <gtest/gtest.h>

#include "http/auth_limiter.h"
#include "ops/log.h"

namespace ttb::http {
namespace {

using namespace std::chrono_literals;

class AuthLimiterTest : public ::testing::Test {
 protected:
  void SetUp() override { ops::init_logging(ops::LogFormat::json, ops::Level::info); }

  AuthFailureLimiter make(int burst, int per_minute) {
    AuthFailureLimits limits;
    limits.burst = burst;
    limits.per_minute = per_minute;
    limits.log_window = 60s;
    return AuthFailureLimiter(limits, [this] { return now_; });
  }

  static int count(const std::string& text, const std::string& needle) {
    int n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
  }

  std::chrono::steady_clock::time_point now_{std::chrono::hours(1)};
};

TEST_F(AuthLimiterTest, RefusesAKeyOnceItsBurstIsSpentAndOnlyThatKey) {
  auto limiter = make(3, 6);  // a token every 10 s
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(limiter.retry_after("client 10.0.0.1")) << i;
    limiter.failed("client 10.0.0.1", "bad token");
  }
  auto wait = limiter.retry_after("client 10.0.0.1");
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, 10s);
  EXPECT_FALSE(limiter.retry_after("client 10.0.0.2"));
  EXPECT_FALSE(limiter.retry_after("tenant acme"));

  now_ += 4s;
  EXPECT_EQ(limiter.retry_after("client 10.0.0.1"), std::optional(6s));
  now_ += 6s;  // one token back: one more try
  EXPECT_FALSE(limiter.retry_after("client 10.0.0.1"));
  limiter.failed("client 10.0.0.1", "bad token");
  EXPECT_TRUE(limiter.retry_after("client 10.0.0.1"));
  now_ += 1h;  // back to the whole burst, never more
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(limiter.retry_after("client 10.0.0.1")) << i;
    limiter.failed("client 10.0.0.1", "bad token");
  }
  EXPECT_TRUE(limiter.retry_after("client 10.0.0.1"));
}

TEST_F(AuthLimiterTest, LogsOneLinePerKeyPerWindowWithTheCounts) {
  auto limiter = make(5, 1);
  ::testing::internal::CaptureStderr();
  for (int i = 0; i < 50; ++i) {
    if (!limiter.retry_after("client 10.0.0.1")) limiter.failed("client 10.0.0.1", "bad token");
    now_ += 1s;  // 50 s: one window
  }
  now_ += 11s;
  limiter.failed("client 10.0.0.9", "bad token");  // a later failure of anyone flushes the counts
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(count(log, "\"auth_failures\""), 3) << log;
  EXPECT_EQ(count(log, "client 10.0.0.1"), 2) << log;
  // The first line at the first failure; the second carries the other 4 failures and 45 refusals.
  EXPECT_NE(log.find("\"failures\":4"), std::string::npos) << log;
  EXPECT_NE(log.find("\"refused_429\":45"), std::string::npos) << log;
  EXPECT_NE(log.find("bad token"), std::string::npos) << log;
}

TEST_F(AuthLimiterTest, ManyKeysShareOneBucketBeyondTheCap) {
  AuthFailureLimits limits;
  limits.burst = 2;
  limits.per_minute = 1;
  limits.max_keys = 4;
  AuthFailureLimiter limiter(limits, [this] { return now_; });
  ::testing::internal::CaptureStderr();
  for (int i = 0; i < 100; ++i) limiter.failed("client 10.0.1." + std::to_string(i), "x");
  ::testing::internal::GetCapturedStderr();
  // The first keys keep their own buckets; the rest spent the shared one.
  EXPECT_FALSE(limiter.retry_after("client 10.0.1.0"));
  EXPECT_TRUE(limiter.retry_after("client 10.0.1.99"));
  EXPECT_TRUE(limiter.retry_after("client 10.0.2.1"));
}

TEST_F(AuthLimiterTest, TheClientKeyIsTheAddressWithoutThePort) {
  net::Request request;
  request.remote = "127.0.0.1:53422";
  EXPECT_EQ(client_key(request), "client 127.0.0.1");
  request.remote = "[::1]:8080";
  EXPECT_EQ(client_key(request), "client ::1");
  request.remote = "fe80::1";
  EXPECT_EQ(client_key(request), "client fe80::1");
  EXPECT_EQ(tenant_key("acme"), "tenant acme");
}

TEST_F(AuthLimiterTest, ARefusalIsA429WithRetryAfter) {
  auto limiter = make(1, 30);
  ::testing::internal::CaptureStderr();
  limiter.failed("client x", "bad");
  auto response = refuse_if_limited(limiter, "client x");
  ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 429);
  EXPECT_EQ(net::find_header(response->headers, "Retry-After").value_or(""), "2");
  EXPECT_FALSE(refuse_if_limited(limiter, "client y"));
}

}  // namespace
}  // namespace ttb::http
