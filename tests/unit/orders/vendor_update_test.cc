// Plugin order updates are outside input: parsed strictly, refused with a reason.

#include "orders/vendor_update.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace ttb::orders {
namespace {

TEST(VendorUpdateTest, ParsesTheDocumentedFields) {
  auto p = parse_vendor_update(R"({"order_id":"pr-1","vendor_order_id":"v-1","status":"completed",
    "score":87.6,"summary":"Passed","candidate_url":"https://c","report_url":"https://r",
    "attachments":[{"url":"https://a.pdf","description":"Report"}],"details":{"k":"v"},
    "vendor_state":{"s":1}})");
  ASSERT_TRUE(p.update) << p.error;
  const auto& u = *p.update;
  EXPECT_EQ(u.order_id, "pr-1");
  EXPECT_EQ(u.vendor_order_id, "v-1");
  EXPECT_EQ(u.status, VendorStatus::completed);
  EXPECT_EQ(u.score, 88);
  EXPECT_EQ(u.report_url, "https://r");
  ASSERT_TRUE(u.attachments);
  EXPECT_EQ(u.attachments->at(0).description, "Report");
  EXPECT_EQ(u.details_json, R"({"k":"v"})");
  EXPECT_EQ(u.vendor_state_json, R"({"s":1})");
}

TEST(VendorUpdateTest, ParsesTheAbi11ResultFields) {
  auto p = parse_vendor_update(R"({"status":"completed","grade":"might_be_fit",
    "duration_seconds":2465,"assessment_criteria":[{"id":"cpp-stl","score":81},{"id":"talk"}],
    "revision":1700000000123})");
  ASSERT_TRUE(p.update) << p.error;
  EXPECT_TRUE(p.dropped.empty());
  const auto& u = *p.update;
  EXPECT_EQ(u.grade, "might_be_fit");
  EXPECT_EQ(u.duration_s, 2465);
  ASSERT_TRUE(u.criteria);
  EXPECT_EQ(*u.criteria, (std::vector<Criterion>{{"cpp-stl", 81}, {"talk", std::nullopt}}));
  EXPECT_EQ(u.revision, 1700000000123);
}

TEST(VendorUpdateTest, ABadAbi11FieldIsDroppedAloneAndTheRestApplies) {
  auto p = parse_vendor_update(R"({"status":"completed","score":90,"grade":"excellent",
    "duration_seconds":-5,"assessment_criteria":[{"id":"x","score":101}],"revision":1.5})");
  ASSERT_TRUE(p.update) << p.error;
  EXPECT_EQ(p.update->status, VendorStatus::completed);
  EXPECT_EQ(p.update->score, 90);
  EXPECT_FALSE(p.update->grade);
  EXPECT_FALSE(p.update->duration_s);
  EXPECT_FALSE(p.update->criteria);
  EXPECT_FALSE(p.update->revision);
  ASSERT_EQ(p.dropped.size(), 4u);
  EXPECT_NE(p.dropped[0].find("grade"), std::string::npos);
  EXPECT_NE(p.dropped[1].find("duration_seconds"), std::string::npos);
  EXPECT_NE(p.dropped[2].find("assessment_criteria"), std::string::npos);
  EXPECT_NE(p.dropped[3].find("revision"), std::string::npos);
}

TEST(VendorUpdateTest, FailedWithoutReasonIsVendorError) {
  auto p = parse_vendor_update(R"({"vendor_order_id":"v","status":"failed"})");
  ASSERT_TRUE(p.update);
  EXPECT_EQ(p.update->failure_reason, FailureReason::vendor_error);
  auto q = parse_vendor_update(
      R"({"vendor_order_id":"v","status":"failed","failure_reason":"expired"})");
  EXPECT_EQ(q.update->failure_reason, FailureReason::expired);
}

TEST(VendorUpdateTest, NullScoreAndMissingFieldsMeanNotReported) {
  auto p = parse_vendor_update(R"({"order_id":"pr-1","score":null})");
  ASSERT_TRUE(p.update);
  EXPECT_FALSE(p.update->status);
  EXPECT_FALSE(p.update->score);
  EXPECT_FALSE(p.update->attachments);
  EXPECT_EQ(p.update->details_json, "");
}

TEST(VendorUpdateTest, RefusesMalformedUpdatesWithAReason) {
  const char* bad[] = {
      "not json",
      "[1,2]",
      R"({"status":"done"})",
      R"({"status":"failed","failure_reason":"timeout"})",
      R"({"score":101})",
      R"({"score":-1})",
      R"({"score":"high"})",
      R"({"attachments":{"url":"x"}})",
      R"({"attachments":[{"description":"no url"}]})",
      R"({"details":[1]})",
      R"({"vendor_state":"s"})",
      R"({"summary":{"a":1}})",
  };
  for (const char* text : bad) {
    auto p = parse_vendor_update(text);
    EXPECT_FALSE(p.update) << text;
    EXPECT_FALSE(p.error.empty()) << text;
  }
}

TEST(VendorUpdateTest, RefusesADeepDocumentWithoutRecursingOverIt) {
  const std::string deep = R"({"order_id":"pr-1","details":)" + std::string(1000000, '[') +
                           std::string(1000000, ']') + "}";
  auto p = parse_vendor_update(deep);
  EXPECT_FALSE(p.update);
  EXPECT_NE(p.error.find("deeper"), std::string::npos) << p.error;
  // Within the limit, nesting is kept as it is.
  std::string ok =
      R"({"order_id":"pr-1","details":{"a":)" + std::string(60, '[') + std::string(60, ']') + "}}";
  EXPECT_TRUE(parse_vendor_update(ok).update);
}

// A callback's updates are parsed with the whole answer and read from it as they are: the same
// verdicts as from their text.
TEST(VendorUpdateTest, AnUpdateAlreadyParsedReadsAsItsText) {
  const std::string text = R"({"order_id":"pr-1","status":"completed","score":87.6,
    "attachments":[{"url":"https://a.pdf","description":"Report"}],"details":{"k":"v"},
    "grade":"maybe","revision":7})";
  auto from_text = parse_vendor_update(text);
  auto from_json = read_vendor_update(nlohmann::json::parse(text));
  ASSERT_TRUE(from_json.update) << from_json.error;
  ASSERT_TRUE(from_text.update) << from_text.error;
  EXPECT_EQ(from_json.update->score, 88);
  EXPECT_EQ(from_json.update->details_json, from_text.update->details_json);
  EXPECT_EQ(from_json.update->attachments, from_text.update->attachments);
  EXPECT_EQ(from_json.update->revision, 7);
  EXPECT_EQ(from_json.dropped, from_text.dropped);
  EXPECT_EQ(from_json.dropped.size(), 1U);  // the grade

  for (const char* refused : {R"("completed")", "[]", "null", R"({"status":"done"})"}) {
    auto p = read_vendor_update(nlohmann::json::parse(refused));
    EXPECT_FALSE(p.update) << refused;
    EXPECT_FALSE(p.error.empty()) << refused;
  }
}

}  // namespace
}  // namespace ttb::orders
