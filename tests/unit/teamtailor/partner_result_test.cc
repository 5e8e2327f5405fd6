#include "teamtailor/partner_result.h"

#include <gtest/gtest.h>

namespace ttb::teamtailor {
namespace {

using Json = nlohmann::json;

PartnerResultUpdate full() {
  PartnerResultUpdate u;
  u.status = "completed";
  u.score = 88;
  u.grade = "might_be_fit";
  u.duration_s = 2465;
  u.summary = "Passed: 88/100";
  u.url = "https://partner.example/reports/abc";
  u.attachments = {{"https://partner.example/r/abc.pdf", "Full report"}};
  u.details = {{"sections", {{"algorithms", "92"}, {"stl", "81"}}}, {"proctoring", "clean"}};
  return u;
}

bool mentions(const std::vector<std::string>& errors, std::string_view word) {
  for (const auto& e : errors) {
    if (e.find(word) != std::string::npos) return true;
  }
  return false;
}

TEST(PartnerResult, FullUpdateIsValid) {
  EXPECT_TRUE(validate(full()).empty());
}

TEST(PartnerResult, EmptyUpdateIsValid) {
  EXPECT_TRUE(validate(PartnerResultUpdate{}).empty());
}

TEST(PartnerResult, StatusMustBeInTheEnum) {
  for (const char* ok : {"sending", "sent", "pending", "completed", "failed"}) {
    PartnerResultUpdate u;
    u.status = ok;
    EXPECT_TRUE(validate(u).empty()) << ok;
  }
  PartnerResultUpdate u;
  u.status = "done";
  EXPECT_TRUE(mentions(validate(u), "status"));
  u.status = "Completed";
  EXPECT_TRUE(mentions(validate(u), "status"));
}

TEST(PartnerResult, ScoreMustBeFrom0To100) {
  PartnerResultUpdate u;
  u.score = 0;
  EXPECT_TRUE(validate(u).empty());
  u.score = 100;
  EXPECT_TRUE(validate(u).empty());
  u.score = 101;
  EXPECT_TRUE(mentions(validate(u), "score"));
  u.score = -1;
  EXPECT_TRUE(mentions(validate(u), "score"));
}

TEST(PartnerResult, GradeMustBeInTheEnum) {
  PartnerResultUpdate u;
  u.grade = "great";
  EXPECT_TRUE(mentions(validate(u), "grade"));
}

TEST(PartnerResult, DetailsMustBeAnObjectAtMostTwoLevelsDeep) {
  PartnerResultUpdate u;
  u.details = Json::parse(R"({"a":{"b":1},"c":[1,2]})");
  EXPECT_TRUE(validate(u).empty());
  u.details = Json::parse(R"({"a":{"b":{"c":1}}})");
  EXPECT_TRUE(mentions(validate(u), "details"));
  u.details = Json::parse(R"({"a":[{"b":1}]})");
  EXPECT_TRUE(mentions(validate(u), "details"));
  u.details = Json::array({1});
  EXPECT_TRUE(mentions(validate(u), "details"));
  u.details = "text";
  EXPECT_TRUE(mentions(validate(u), "details"));
}

TEST(PartnerResult, UrlsMustBeHttp) {
  PartnerResultUpdate u;
  for (const char* bad : {"javascript:alert(1)", "ftp://x/y", "https://", "http://a b", "/relative",
                          "https://:80/x"}) {
    u.url = bad;
    EXPECT_TRUE(mentions(validate(u), "url")) << bad;
  }
  u.url = "HTTP://Example.org/x?y=1";
  EXPECT_TRUE(validate(u).empty());
  u.url.clear();
  u.attachments = {{"file:///etc/passwd", "x"}};
  EXPECT_TRUE(mentions(validate(u), "attachments[0].url"));
}

TEST(PartnerResult, ReportsEveryBrokenRule) {
  PartnerResultUpdate u;
  u.status = "x";
  u.score = 200;
  u.url = std::string("x");  // not `= "x"`: GCC bug 105329, a false -Wrestrict at -O3
  EXPECT_EQ(validate(u).size(), 3u);
}

TEST(PartnerResult, SerializesAsJsonApiWithKebabCaseAndScoreInAssessment) {
  auto body = Json::parse(to_jsonapi("9e8d", full()));
  EXPECT_EQ(body["data"]["type"], "partner-results");
  EXPECT_EQ(body["data"]["id"], "9e8d");
  const auto& a = body["data"]["attributes"];
  EXPECT_EQ(a["status"], "completed");
  EXPECT_EQ(a["assessment"]["score"], 88);
  EXPECT_EQ(a["assessment"]["grade"], "might_be_fit");
  EXPECT_EQ(a["assessment"]["duration"], 2465);
  EXPECT_EQ(a["summary"], "Passed: 88/100");
  EXPECT_EQ(a["url"], "https://partner.example/reports/abc");
  EXPECT_EQ(
      a["attachments"],
      Json::parse(R"([{"url":"https://partner.example/r/abc.pdf","description":"Full report"}])"));
  EXPECT_EQ(a["details"]["sections"]["stl"], "81");
  EXPECT_FALSE(a.contains("score"));
  EXPECT_FALSE(a.contains("candidate-id"));
}

TEST(PartnerResult, SerializesButtonsAndCriteriaAsTeamtailorNamesThem) {
  PartnerResultUpdate u;
  u.status = "sent";
  u.criteria = {{"cpp-stl", 81}, {"talk", std::nullopt}};
  u.actions = std::vector<CardButton>{{"Cancel order", "actions/cancel-order"}};
  EXPECT_TRUE(validate(u).empty());
  const Json attributes = Json::parse(to_jsonapi("r1", u))["data"]["attributes"];
  EXPECT_EQ(attributes["actions"],
            Json::parse(R"([{"buttonText":"Cancel order","endpoint":"actions/cancel-order"}])"));
  EXPECT_EQ(attributes["assessment-criteria"],
            Json::parse(R"([{"id":"cpp-stl","score":81},{"id":"talk"}])"));
}

TEST(PartnerResult, AnEmptyButtonListIsSentToRemoveTheButtons) {
  PartnerResultUpdate u;
  u.status = "completed";
  u.actions = std::vector<CardButton>{};
  const Json attributes = Json::parse(to_jsonapi("r1", u))["data"]["attributes"];
  ASSERT_TRUE(attributes.contains("actions"));
  EXPECT_TRUE(attributes["actions"].empty());
  u.actions.reset();
  EXPECT_FALSE(Json::parse(to_jsonapi("r1", u))["data"]["attributes"].contains("actions"));
}

TEST(PartnerResult, ButtonEndpointsMustBeRelativeAndCriteriaScoresInRange) {
  PartnerResultUpdate u;
  u.actions = std::vector<CardButton>{{"Go", "https://evil.example/x"}, {"", "/actions/x"}};
  u.criteria = {{"", 120}};
  auto errors = validate(u);
  EXPECT_TRUE(mentions(errors, "actions[0].endpoint"));
  EXPECT_TRUE(mentions(errors, "actions[1].buttonText"));
  EXPECT_TRUE(mentions(errors, "actions[1].endpoint"));
  EXPECT_TRUE(mentions(errors, "assessment-criteria[0].id"));
  EXPECT_TRUE(mentions(errors, "assessment-criteria[0].score"));
}

TEST(PartnerResult, OmitsEmptyParts) {
  PartnerResultUpdate u;
  u.status = "sent";
  u.summary = "Invitation sent to ada@example.org";
  auto a = Json::parse(to_jsonapi("r1", u))["data"]["attributes"];
  EXPECT_EQ(a, Json::parse(R"({"status":"sent","summary":"Invitation sent to ada@example.org"})"));
}

TEST(PartnerResult, SerializationNeverThrowsOnInvalidUtf8) {
  PartnerResultUpdate u;
  u.summary = "bad \xc3\x28 bytes";
  std::string body;
  EXPECT_NO_THROW(body = to_jsonapi("r1", u));
  EXPECT_TRUE(Json::accept(body)) << body;
}

TEST(PartnerResult, DepthCheckIsBounded) {
  const Json deep = Json::parse(std::string(5000, '[') + std::string(5000, ']'));
  EXPECT_TRUE(json_deeper_than(deep, 2));
  EXPECT_FALSE(json_deeper_than(Json::object(), 1));
  EXPECT_TRUE(json_deeper_than(Json::object({{"a", Json::object()}}), 1));
}

}  // namespace
}  // namespace ttb::teamtailor
