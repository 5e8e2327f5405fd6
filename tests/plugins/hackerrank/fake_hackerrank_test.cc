// The HackerRank fake itself: auth styles, paging envelope, the duplicate rule, the PDF's
// 503-then-200 sequence, injected 429s and the /__sim control routes.
#include "fakes/hackerrank/fake_hackerrank.h"

#include <gtest/gtest.h>

#include "net/http_client.h"

namespace ttb::fakes::hackerrank {
namespace {

using Json = nlohmann::json;

class FakeHackerRankTest : public ::testing::Test {
 protected:
  net::ClientResponse call(const std::string& method, const std::string& path,
                           const std::string& body = "", std::string auth = "") {
    net::ClientRequest r;
    r.method = method;
    r.url = path.rfind("/__sim", 0) == 0 ? fake.origin() + path : fake.base_url() + path;
    if (auth.empty()) auth = "Bearer " + fake.api_key();
    r.headers = {{"Authorization", auth}, {"Content-Type", "application/json"}};
    r.body = body;
    return client->send(r);
  }
  std::string invite(const std::string& email) {
    auto r = call(
        "POST", "/tests/t1/candidates",
        Json{{"email", email},
             {"send_email", false},
             {"test_result_url", "http://127.0.0.1:1/cb"},
             {"webhook_authentication", {{"type", "bearer_token"}, {"data", {{"token", "tok"}}}}}}
            .dump());
    EXPECT_EQ(r.status, 200) << r.body;
    return Json::parse(r.body)["id"];
  }

  FakeHackerRank fake;
  std::unique_ptr<net::HttpClient> client = net::make_http_client();
};

TEST_F(FakeHackerRankTest, AcceptsBearerAndBasicAuthAndRefusesOthers) {
  fake.add_tests(1);
  EXPECT_EQ(call("GET", "/tests").status, 200);
  // base64("hr-fake-api-key:")
  EXPECT_EQ(call("GET", "/tests", "", "Basic aHItZmFrZS1hcGkta2V5Og==").status, 200);
  EXPECT_EQ(call("GET", "/tests", "", "Bearer nope").status, 401);
  EXPECT_EQ(call("GET", "/tests", "", "Basic bm9wZTo=").status, 401);
}

TEST_F(FakeHackerRankTest, PagesWithTheDocumentedEnvelope) {
  fake.add_tests(25);
  Json page = Json::parse(call("GET", "/tests?limit=10&offset=20").body);
  for (const char* key :
       {"data", "page_total", "offset", "previous", "next", "first", "last", "total"})
    EXPECT_TRUE(page.contains(key)) << key;
  EXPECT_EQ(page["data"].size(), 5u);
  EXPECT_EQ(page["total"], 25);
  EXPECT_EQ(page["next"], "");
  Json first = Json::parse(call("GET", "/tests").body);  // default limit 10
  EXPECT_EQ(first["data"].size(), 10u);
  EXPECT_EQ(first["next"], fake.base_url() + "/tests?limit=10&offset=10");
}

TEST_F(FakeHackerRankTest, RefusesASecondInviteForTheSameEmailOnATest) {
  fake.add_tests(1);
  invite("ada@example.org");
  auto again = call("POST", "/tests/t1/candidates", R"({"email":"Ada@Example.org"})");
  EXPECT_EQ(again.status, 422);
  EXPECT_NE(again.body.find("already"), std::string::npos);
  EXPECT_EQ(
      call("POST", "/tests/t1/candidates", R"({"email":"b@x.org","test_result_url":"http://x"})")
          .status,
      400);
  EXPECT_EQ(call("POST", "/tests/nope/candidates", R"({"email":"c@x.org"})").status, 404);
  EXPECT_EQ(fake.invitations_created(), 1);
}

TEST_F(FakeHackerRankTest, PdfAnswers503UntilReady) {
  fake.add_tests(1);
  const std::string id = invite("ada@example.org");
  EXPECT_EQ(call("GET", "/tests/t1/candidates/" + id + "/pdf?format=url").status,
            404);  // no report yet
  Outcome o;
  o.percentage_score = 72;
  fake.finish(id, o);
  fake.set_pdf_unavailable(id, 2);
  EXPECT_EQ(call("GET", "/tests/t1/candidates/" + id + "/pdf?format=url").status, 503);
  EXPECT_EQ(call("GET", "/tests/t1/candidates/" + id + "/pdf?format=url").status, 503);
  auto ok = call("GET", "/tests/t1/candidates/" + id + "/pdf?format=url");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(Json::parse(ok.body)["url"], fake.origin() + "/x/reports/" + id + ".pdf");
}

TEST_F(FakeHackerRankTest, AdditionalFieldsAddQuestionsAndSections) {
  fake.add_tests(1);
  const std::string id = invite("ada@example.org");
  Outcome o;
  o.percentage_score = 50;
  o.questions = {QuestionScore{"A", 5, 10, "S1", "code"}};
  fake.finish(id, o);
  Json plain = Json::parse(call("GET", "/tests/t1/candidates/" + id).body);
  EXPECT_FALSE(plain.contains("questions"));
  EXPECT_EQ(plain["status"], 7);
  Json full = Json::parse(call("GET", "/tests/t1/candidates/" + id +
                                          "?additional_fields=questions,scores_sections_split")
                              .body);
  EXPECT_EQ(full["questions"]["q1"]["name"], "A");
  EXPECT_EQ(full["scores_sections_split"]["S1"]["max_score"], 10.0);
}

TEST_F(FakeHackerRankTest, InjectedRateLimitSendsTheHeaders) {
  fake.add_tests(1);
  fake.inject(Fault::rate_limit(4), 2);
  for (int i = 0; i < 2; ++i) {
    auto r = call("GET", "/tests");
    EXPECT_EQ(r.status, 429);
    EXPECT_EQ(r.header("Retry-After"), "4");
    EXPECT_TRUE(r.header("X-RateLimit-Reset").has_value());
  }
  EXPECT_EQ(call("GET", "/tests").status, 200);
}

TEST_F(FakeHackerRankTest, SimRoutesMoveACandidateAlong) {
  fake.add_tests(1);
  const std::string id = invite("ada@example.org");
  EXPECT_EQ(call("POST", "/__sim/candidates/" + id + "/start").status, 200);
  EXPECT_EQ(fake.candidate(id)->at("status"), 1);
  EXPECT_EQ(
      call("POST", "/__sim/candidates/" + id + "/finish", R"({"percentage_score":66})").status,
      200);
  EXPECT_EQ(fake.candidate(id)->at("percentage_score"), 66.0);
  EXPECT_EQ(call("POST", "/__sim/candidates/nope/expire").status, 404);
  Json state = Json::parse(call("GET", "/__sim/state").body);
  EXPECT_EQ(state["invitations_created"], 1);
}

TEST_F(FakeHackerRankTest, WebhookPresentsTheStoredCredential) {
  EXPECT_EQ(authorization_for(Json::parse(R"({"type":"bearer_token","data":{"token":"abc"}})"),
                              WebhookAuth::correct),
            "Bearer abc");
  EXPECT_NE(authorization_for(Json::parse(R"({"type":"bearer_token","data":{"token":"abc"}})"),
                              WebhookAuth::wrong),
            "Bearer abc");
  EXPECT_EQ(authorization_for(
                Json::parse(R"({"type":"basic_auth","data":{"username":"u","password":"p"}})"),
                WebhookAuth::correct),
            "Basic dTpw");
  EXPECT_EQ(authorization_for(Json::parse(R"({"type":"bearer_token","data":{"token":"abc"}})"),
                              WebhookAuth::missing),
            "");
}

}  // namespace
}  // namespace ttb::fakes::hackerrank
