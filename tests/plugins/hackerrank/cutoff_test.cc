// cutoff: the card's pass/fail grade from the test's cutoff_score, as pure functions and through
// hackerrank.so against the fake (which shows cutoff_score when additional_fields asks for it).
#include "cutoff.h"

#include <memory>

#include <gtest/gtest.h>

#include "config.h"
#include "plugin_harness.h"
#include "ttbridge/plugin.hpp"

namespace ttb::hackerrank::testing {
namespace {

using ttb::fakes::hackerrank::Outcome;
using ttb::fakes::hackerrank::QuestionScore;
using ttb::fakes::hackerrank::TestSpec;

// 17 of 20 points, 85 %.
const json kCandidate = json{{"score", 17}, {"max_score", 20}, {"percentage_score", 85}};

TEST(HackerRankCutoff, PointsCompareTheScore) {
  EXPECT_EQ(cutoff_grade(kCandidate, 17, CutoffUnit::points), "top_fit");  // reached exactly
  EXPECT_EQ(cutoff_grade(kCandidate, 18, CutoffUnit::points), "might_not_be_fit");
  // 60 cannot be points out of 20: no verdict rather than a wrong one.
  EXPECT_FALSE(cutoff_grade(kCandidate, 60, CutoffUnit::points));
  EXPECT_FALSE(cutoff_grade(json{{"percentage_score", 85}}, 10, CutoffUnit::points));
}

TEST(HackerRankCutoff, PercentComparesThePercentage) {
  EXPECT_EQ(cutoff_grade(kCandidate, 60, CutoffUnit::percent), "top_fit");
  EXPECT_EQ(cutoff_grade(kCandidate, 90, CutoffUnit::percent), "might_not_be_fit");
  // Without percentage_score: score / max_score.
  EXPECT_EQ(cutoff_grade(json{{"score", 12}, {"max_score", 20}}, 60, CutoffUnit::percent),
            "top_fit");
  EXPECT_FALSE(cutoff_grade(json::object(), 60, CutoffUnit::percent));
  EXPECT_FALSE(cutoff_grade(kCandidate, 0, CutoffUnit::off));
}

TEST(HackerRankCutoff, ReadsOnlyANumericNonNegativeCutoff) {
  EXPECT_EQ(cutoff_of(json{{"cutoff_score", 70}}), 70.0);
  EXPECT_EQ(cutoff_of(json{{"cutoff_score", 12.5}}), 12.5);
  EXPECT_FALSE(cutoff_of(json{{"cutoff_score", nullptr}}));
  EXPECT_FALSE(cutoff_of(json{{"cutoff_score", "70"}}));
  EXPECT_FALSE(cutoff_of(json{{"cutoff_score", -1}}));
  EXPECT_FALSE(cutoff_of(json::object()));
  EXPECT_FALSE(cutoff_of(json::array()));
}

TEST(HackerRankCutoff, UnitIsASettingThatDefaultsToPoints) {
  EXPECT_EQ(parse_config(R"({"api_key":"k"})").cutoff_unit, CutoffUnit::points);
  EXPECT_EQ(parse_config(R"({"api_key":"k","cutoff_unit":"percent"})").cutoff_unit,
            CutoffUnit::percent);
  EXPECT_EQ(parse_config(R"({"api_key":"k","cutoff_unit":"off"})").cutoff_unit, CutoffUnit::off);
  for (const char* bad :
       {R"({"api_key":"k","cutoff_unit":"percentage"})", R"({"api_key":"k","cutoff_unit":70})"}) {
    try {
      parse_config(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const sdk::Error& e) {
      EXPECT_NE(std::string(e.what()).find("cutoff_unit"), std::string::npos) << e.what();
    }
  }
}

class HackerRankCutoffPlugin : public ::testing::Test {
 protected:
  void SetUp() override { h.fake().add_test(TestSpec{"4711", "C++ Senior", 90, false, "active"}); }

  // A finished order of 17 of 20 points (85 %), read back with fetch_order by `provider`.
  json finished_update(ttb::plugins::Provider& provider) {
    EXPECT_TRUE(h.create("pr-1", "4711", "ada@example.org").ok());
    const std::string cid = h.context("pr-1")["vendor_state"]["candidate_id"].get<std::string>();
    Outcome o;
    o.percentage_score = 85;
    o.questions = {QuestionScore{"Two Sum", 8, 10, "Algorithms", "code"},
                   QuestionScore{"LRU Cache", 9, 10, "Design", "code"}};
    EXPECT_TRUE(h.fake().finish(cid, o));
    auto r = wait(provider.fetch_order(h.context("pr-1").dump()));
    EXPECT_TRUE(r.ok()) << r.detail;
    return json::parse(r.json);
  }

  // A provider of the harness's config with another `cutoff_unit`.
  std::shared_ptr<ttb::plugins::Provider> with_unit(const char* unit) {
    json config = h.config();
    config["cutoff_unit"] = unit;
    auto made = h.make_provider(config);
    EXPECT_TRUE(made.provider) << made.error;
    return made.provider;
  }

  PluginHarness h;
};

TEST_F(HackerRankCutoffPlugin, PassesWhenTheScoreReachesTheCutoffInPoints) {
  h.fake().set_cutoff_score("4711", 15);
  const json update = finished_update(h.provider());
  EXPECT_EQ(update["status"], "completed");
  EXPECT_EQ(update.value("grade", ""), "top_fit") << update.dump();
}

TEST_F(HackerRankCutoffPlugin, FailsBelowTheCutoff) {
  h.fake().set_cutoff_score("4711", 18);
  EXPECT_EQ(finished_update(h.provider()).value("grade", ""), "might_not_be_fit");
}

TEST_F(HackerRankCutoffPlugin, PercentReadsTheSameCutoffAsAPercentage) {
  h.fake().set_cutoff_score("4711", 90);
  auto percent = with_unit("percent");
  ASSERT_TRUE(percent);
  EXPECT_EQ(finished_update(*percent).value("grade", ""), "might_not_be_fit");
}

TEST_F(HackerRankCutoffPlugin, OffReadsNoTest) {
  h.fake().set_cutoff_score("4711", 15);
  auto off = with_unit("off");
  ASSERT_TRUE(off);
  const json update = finished_update(*off);
  EXPECT_EQ(update["status"], "completed");
  EXPECT_FALSE(update.contains("grade")) << update.dump();
  EXPECT_EQ(update["attachments"].size(), 1u);  // the PDF link is still read
  for (const auto& r : h.fake().requests()) EXPECT_FALSE(r.path.ends_with("/tests/4711"));
}

TEST_F(HackerRankCutoffPlugin, NoCutoffNoGrade) {
  const json update = finished_update(h.provider());
  EXPECT_EQ(update["status"], "completed");
  EXPECT_FALSE(update.contains("grade")) << update.dump();
}

}  // namespace
}  // namespace ttb::hackerrank::testing
