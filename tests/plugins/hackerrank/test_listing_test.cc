// list_tests' pure steps: which tests are offered, and which next-page links are followed.
#include "test_listing.h"

#include <gtest/gtest.h>

#include "ttbridge/plugin.hpp"
#include "urls.h"

namespace hackerrank {
namespace {

using nlohmann::json;

const std::string kBase = "https://www.hackerrank.com/x/api/v3";

TEST(HackerRankTestListing, OffersPublishedNonArchivedTestsAsAssessments) {
  json page = json::parse(R"({"data":[
    {"id":"1","name":"C++ Senior","duration":90,"state":"active","draft":false,"instructions":"Do it"},
    {"id":"2","name":"Draft","duration":60,"state":"active","draft":true},
    {"id":"3","name":"Old","duration":60,"state":"archived","draft":false},
    {"id":4,"name":"Numeric id","duration":"45","unknown":{"x":1}},
    {"name":"no id"}, 17],
    "page_total":6,"offset":0,"previous":"","next":"","first":"","last":"","total":6})");
  json tests = json::array();
  append_invitable_tests(page, tests);
  ASSERT_EQ(tests.size(), 2u);
  EXPECT_EQ(tests[0], (json{{"id", "1"},
                            {"name", "C++ Senior"},
                            {"kind", "assessment"},
                            {"description", "Do it"},
                            {"duration_minutes", 90}}));
  EXPECT_EQ(tests[1]["id"], "4");
  EXPECT_EQ(tests[1]["duration_minutes"], 45);
}

TEST(HackerRankTestListing, APageWithoutDataIsAVendorError) {
  json tests = json::array();
  EXPECT_THROW(append_invitable_tests(json{{"tests", json::array()}}, tests), ttb::sdk::Error);
}

TEST(HackerRankTestListing, FollowsNextOnTheSameOriginOnly) {
  json page = {{"data", json::array({json::object()})},
               {"next", kBase + "/tests?limit=100&offset=100"}};
  EXPECT_EQ(next_tests_page_url(page, kBase, first_tests_page_url(kBase)),
            kBase + "/tests?limit=100&offset=100");
  page["next"] = "/x/api/v3/tests?limit=100&offset=100";
  EXPECT_EQ(next_tests_page_url(page, kBase, first_tests_page_url(kBase)),
            kBase + "/tests?limit=100&offset=100");
  page["next"] = "";
  EXPECT_FALSE(next_tests_page_url(page, kBase, first_tests_page_url(kBase)));
  page["next"] = nullptr;
  EXPECT_FALSE(next_tests_page_url(page, kBase, first_tests_page_url(kBase)));
  for (const char* evil :
       {"https://evil.example/x/api/v3/tests", "//evil.example/tests",
        "https://www.hackerrank.com@evil.example/", "http://www.hackerrank.com/x/api/v3/tests"}) {
    page["next"] = evil;
    EXPECT_THROW(next_tests_page_url(page, kBase, ""), ttb::sdk::Error) << evil;
  }
}

TEST(HackerRankTestListing, StopsOnAnEmptyPageAndRefusesASelfLink) {
  json page = {{"data", json::array()}, {"next", kBase + "/tests?offset=100"}};
  EXPECT_FALSE(next_tests_page_url(page, kBase, ""));
  page = {{"data", json::array({json::object()})}, {"next", kBase + "/tests?offset=100"}};
  EXPECT_THROW(next_tests_page_url(page, kBase, kBase + "/tests?offset=100"), ttb::sdk::Error);
}

TEST(HackerRankUrls, EncodesIdsAsOneSegment) {
  EXPECT_EQ(encode_segment("4711"), "4711");
  EXPECT_EQ(encode_segment("../admin?x=1"), "..%2Fadmin%3Fx%3D1");
  EXPECT_EQ(encode_segment(".."), "%2E%2E");
}

}  // namespace
}  // namespace hackerrank
