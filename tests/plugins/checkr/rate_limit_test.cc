// Checkr's 429: X-Ratelimit-Reset is an ISO timestamp; the retry time is reset − host now.
#include <gtest/gtest.h>

#include "rate_limit.h"

namespace {

using ttb::checkr::parse_iso8601_ms;
using ttb::checkr::retry_after_ms;

constexpr std::int64_t k20250301T100000Z = 1740823200000;

TEST(CheckrRateLimit, ParsesIsoTimestampsWithZonesAndFractions) {
  EXPECT_EQ(parse_iso8601_ms("2025-03-01T10:00:00Z"), k20250301T100000Z);
  EXPECT_EQ(parse_iso8601_ms("2025-03-01T10:00:00.250Z"), k20250301T100000Z + 250);
  EXPECT_EQ(parse_iso8601_ms("2025-03-01T12:00:00+02:00"), k20250301T100000Z);
  EXPECT_EQ(parse_iso8601_ms("2025-03-01T05:00:00-0500"), k20250301T100000Z);
  EXPECT_EQ(parse_iso8601_ms("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_iso8601_ms("2024-02-29T00:00:00Z"), 1709164800000);  // leap day
}

TEST(CheckrRateLimit, RejectsMalformedTimestamps) {
  EXPECT_FALSE(parse_iso8601_ms(""));
  EXPECT_FALSE(parse_iso8601_ms("2025-03-01T10:00:00"));  // no zone
  EXPECT_FALSE(parse_iso8601_ms("2025-13-01T10:00:00Z"));
  EXPECT_FALSE(parse_iso8601_ms("2025-03-01 garbage"));
  EXPECT_FALSE(parse_iso8601_ms("2025-03-01T10:00:00Zjunk"));
}

TEST(CheckrRateLimit, WaitsUntilTheResetInstantOnTheHostClock) {
  EXPECT_EQ(retry_after_ms(std::string_view("2025-03-01T10:00:07Z"), k20250301T100000Z), 7000u);
  EXPECT_EQ(retry_after_ms(std::string_view("2025-03-01T10:00:07.500Z"), k20250301T100000Z + 1000),
            6500u);
}

TEST(CheckrRateLimit, WaitsAtLeastOneSecond) {
  EXPECT_EQ(retry_after_ms(std::string_view("2025-03-01T10:00:00Z"), k20250301T100000Z), 1000u);
  EXPECT_EQ(retry_after_ms(std::string_view("2025-03-01T09:00:00Z"), k20250301T100000Z),
            1000u);  // clock skew
}

TEST(CheckrRateLimit, WaitsTwoSecondsWithoutAUsableHeader) {
  EXPECT_EQ(retry_after_ms(std::nullopt, k20250301T100000Z), 2000u);
  EXPECT_EQ(retry_after_ms(std::string_view("soon"), k20250301T100000Z), 2000u);
}

TEST(CheckrRateLimit, ReadsEpochSecondsAndCapsFarResets) {
  EXPECT_EQ(retry_after_ms(std::string_view("1740823203"), k20250301T100000Z), 3000u);
  EXPECT_EQ(retry_after_ms(std::string_view("2025-03-02T10:00:00Z"), k20250301T100000Z),
            3600u * 1000u);
}

}  // namespace
