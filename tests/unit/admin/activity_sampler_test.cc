// The charts' ring: a point at the first call, then one a minute and none in between; each point
// counts what was created and finished since the one before, once; at most 60 points, oldest
// first.

#include <gtest/gtest.h>

#include "admin/activity_sampler.h"
#include "admin/record_json.h"
#include "store_fixture.h"

namespace ttb::admin {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

class ActivitySamplerTest : public store::testing::StoreFixture {};

TEST_F(ActivitySamplerTest, OnePointAMinuteCountingWhatHappenedSinceTheLast) {
  auto store = open();
  ASSERT_TRUE(store);
  ActivitySampler sampler(*store);
  ASSERT_TRUE(store->accept_order(order("pr-1", "ev-1")));

  EXPECT_FALSE(sampler.sample_if_due(clock_.now()).has_value());
  clock_.advance(seconds(30));
  EXPECT_FALSE(sampler.sample_if_due(clock_.now()).has_value());  // not due: no point
  ASSERT_TRUE(store->accept_order(order("pr-2", "ev-2")));
  auto claimed = store->claim_due_jobs({clock_.now(), 1, {}});
  ASSERT_TRUE(claimed && claimed->size() == 1u);
  ASSERT_TRUE(store->finish_job(claimed->at(0)));
  clock_.advance(seconds(30));
  EXPECT_FALSE(sampler.sample_if_due(clock_.now()).has_value());

  const nlohmann::json charts = sampler.to_json();
  EXPECT_EQ(charts["interval_s"], 60);
  ASSERT_EQ(charts["points"].size(), 2u) << charts.dump();
  // A point counts [previous point, this point): pr-1, created at the first point's very
  // millisecond, belongs to the second, with pr-2; nothing is counted twice.
  const auto& first = charts["points"][0];
  EXPECT_EQ(first["orders_created"], 0);
  EXPECT_EQ(first["queued"], 1);
  const auto& second = charts["points"][1];
  EXPECT_EQ(second["orders_created"], 2);
  EXPECT_EQ(second["jobs_done"], 1);
  EXPECT_EQ(second["queued"], 1);
  EXPECT_EQ(second["dead"], 0);
}

TEST_F(ActivitySamplerTest, KeepsTheLastHourOnly) {
  auto store = open();
  ASSERT_TRUE(store);
  ActivitySampler sampler(*store);
  const std::string first_at = format_time(clock_.now());
  for (int i = 0; i < 75; ++i) {
    EXPECT_FALSE(sampler.sample_if_due(clock_.now()).has_value());
    clock_.advance(minutes(1));
  }
  const nlohmann::json points = sampler.to_json()["points"];
  ASSERT_EQ(points.size(), ActivitySampler::kPoints);
  EXPECT_LT(points.front()["at"].get<std::string>(), points.back()["at"].get<std::string>());
  EXPECT_NE(points.front()["at"], first_at);
}

}  // namespace
}  // namespace ttb::admin
