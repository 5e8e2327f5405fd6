// The time bounds the order search takes: a date (its start, or for an upper bound the start of
// the next day, so that the day is included) or a UTC time; anything else is refused.

#include <gtest/gtest.h>

#include "admin/record_json.h"
#include "admin/record_queries.h"

namespace ttb::admin {
namespace {

std::string bound(std::string_view text, bool end_of_day) {
  const auto at = parse_time_bound(text, end_of_day);
  return at ? format_time(*at, true) : std::string("refused");
}

TEST(TimeBound, ADateIsItsStartOrForAnUpperBoundTheNextDay) {
  EXPECT_EQ(bound("2026-11-30", false), "2026-11-30T00:00:00.000Z");
  EXPECT_EQ(bound("2026-11-30", true), "2026-12-01T00:00:00.000Z");
  EXPECT_EQ(bound("2026-12-31", true), "2027-01-01T00:00:00.000Z");
  EXPECT_EQ(bound("2028-02-29", false), "2028-02-29T00:00:00.000Z");
}

TEST(TimeBound, ATimeIsTakenAsWrittenWithOrWithoutMilliseconds) {
  EXPECT_EQ(bound("2026-11-30T05:20:07Z", true), "2026-11-30T05:20:07.000Z");
  EXPECT_EQ(bound("2026-11-30T05:20:07.123Z", false), "2026-11-30T05:20:07.123Z");
}

TEST(TimeBound, RefusesWhatIsNotADateOrAUtcTime) {
  for (const char* text :
       {"", "yesterday", "2026-11-31", "2027-02-29", "2026-13-01", "2026-1-01",
        "2026-11-30T05:20:07", "2026-11-30T05:20:07+01:00", "2026-11-30T24:00:00Z",
        "2026-11-30 05:20:07Z", "2026-11-30T05:20Z", "2026-11-30T05:20:07.1Z", "2026-11-30Z",
        // Found by the fuzzer: a year past 2262 overflowed the nanosecond clock.
        "2602-11-30", "9999-12-31T23:59:59Z", "1969-12-31", "0000-01-01",
        // A sign is no digit (from_chars took "-1" for a two-digit field).
        "2026-11-30T-1:20:07Z", "2026-11-30T05:20:07.-01Z", "2026--1-30", "2026-11-+1"}) {
    EXPECT_EQ(bound(text, false), "refused") << text;
  }
}

TEST(TimeBound, TheFirstAndLastYearsAreAccepted) {
  EXPECT_EQ(bound("1970-01-01", true), "1970-01-02T00:00:00.000Z");  // the epoch itself prints ""
  EXPECT_EQ(bound("2200-12-31T23:59:59.999Z", true), "2200-12-31T23:59:59.999Z");
}

TEST(OrderStatus, OnlyTheStatusesOfAnOrder) {
  for (const char* status : {"received", "invited", "in_progress", "completed", "failed"}) {
    EXPECT_TRUE(is_order_status(status)) << status;
  }
  EXPECT_FALSE(is_order_status("sent"));
  EXPECT_FALSE(is_order_status(""));
}

}  // namespace
}  // namespace ttb::admin
