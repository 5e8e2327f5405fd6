// The Codility fake itself: the Bearer check, paging with the archive filter, invites that keep
// their callbacks, the candidate filter, faults and the hourly limit.
#include "fakes/codility/fake_codility.h"

#include <gtest/gtest.h>

#include "net/http_client.h"

namespace ttb::fakes::codility {
namespace {

using nlohmann::json;

class FakeCodilityTest : public ::testing::Test {
 protected:
  net::ClientResponse call(FakeCodility& fake, const std::string& method, const std::string& path,
                           const std::string& body = "", bool auth = true) {
    net::ClientRequest r;
    r.method = method;
    r.url = fake.base_url() + path;
    if (auth) r.headers.emplace_back("Authorization", "Bearer " + fake.api_token());
    if (!body.empty()) r.headers.emplace_back("Content-Type", "application/json");
    r.body = body;
    return client_->send(r);
  }
  std::string invite(FakeCodility& fake, const std::string& test, const std::string& id) {
    json body = {{"candidates", json::array({{{"id", id}, {"email", id + "@example.org"}}})},
                 {"event_callbacks", json::array({{{"event", "result"}, {"url", "http://x/cb"}}})}};
    auto r = call(fake, "POST", "/tests/" + test + "/invite/", body.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    std::string url = json::parse(r.body)["candidates"][0]["session_url"];
    url.pop_back();
    return url.substr(url.rfind('/') + 1);
  }

  std::unique_ptr<net::HttpClient> client_ = net::make_http_client();
};

TEST_F(FakeCodilityTest, RefusesAWrongToken) {
  FakeCodility fake;
  EXPECT_EQ(call(fake, "GET", "/tests/", "", false).status, 401);
}

TEST_F(FakeCodilityTest, PagesTestsAndFiltersArchived) {
  FakeCodilityOptions options;
  options.page_size = 2;
  FakeCodility fake(options);
  fake.add_tests(3);
  fake.add_test({"old", "Old", true});
  auto r = call(fake, "GET", "/tests/?is_archived=False");
  json page = json::parse(r.body);
  EXPECT_EQ(page["count"], 3);
  EXPECT_EQ(page["results"].size(), 2u);
  ASSERT_TRUE(page["next"].is_string());
  EXPECT_NE(page["next"].get<std::string>().find("is_archived=False"), std::string::npos);
  auto second = call(fake, "GET", "/tests/?page=2&is_archived=False");
  EXPECT_EQ(json::parse(second.body)["results"].size(), 1u);
  EXPECT_TRUE(json::parse(second.body)["next"].is_null());
}

TEST_F(FakeCodilityTest, InviteMakesASessionAndTheCandidateFilterFindsIt) {
  FakeCodility fake;
  fake.add_test({"T1", "Java", false});
  const std::string sid = invite(fake, "T1", "pr_1");
  invite(fake, "T1", "pr_2");
  EXPECT_EQ(fake.invitations_created(), 2);
  EXPECT_EQ(fake.callback_url(sid, "result"), "http://x/cb");
  EXPECT_FALSE(fake.callback_url(sid, "similarity"));
  json list = json::parse(call(fake, "GET", "/tests/T1/sessions/?candidate=pr_1").body);
  ASSERT_EQ(list["results"].size(), 1u);
  EXPECT_EQ(list["results"][0]["id"], sid);
  auto s = json::parse(call(fake, "GET", "/sessions/" + sid + "/").body);
  EXPECT_TRUE(s["evaluation"].is_null());
  ASSERT_TRUE(fake.evaluate(sid, {{"BinaryGap", "cpp", 50, 100}}));
  s = json::parse(call(fake, "GET", "/sessions/" + sid + "/").body);
  EXPECT_EQ(s["evaluation"]["result"], 50.0);
  EXPECT_TRUE(s["close_date"].is_string());
  ASSERT_TRUE(fake.remove(sid));
  EXPECT_EQ(call(fake, "GET", "/sessions/" + sid + "/").status, 410);
  EXPECT_EQ(call(fake, "POST", "/tests/nope/invite/", R"({"candidates":[{"email":"a@b"}]})").status,
            404);
  EXPECT_EQ(call(fake, "POST", "/tests/T1/invite/", R"({"candidates":[]})").status, 400);
}

TEST_F(FakeCodilityTest, InjectsFaultsAndEnforcesTheHourlyLimit) {
  FakeCodility fake;
  fake.inject(Fault::rate_limit(7));
  fake.inject(Fault::error(502));
  auto limited = call(fake, "GET", "/tests/");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.header("Retry-After"), "7");
  EXPECT_TRUE(limited.header("X-RateLimit-Reset"));
  EXPECT_EQ(call(fake, "GET", "/tests/").status, 502);
  EXPECT_EQ(call(fake, "GET", "/tests/").status, 200);

  FakeCodilityOptions options;
  options.hourly_limit = 2;
  FakeCodility limited_fake(options);
  EXPECT_EQ(call(limited_fake, "GET", "/tests/").status, 200);
  EXPECT_EQ(call(limited_fake, "GET", "/tests/").status, 200);
  auto over = call(limited_fake, "GET", "/tests/");
  EXPECT_EQ(over.status, 429);
  ASSERT_TRUE(over.header("Retry-After"));
  EXPECT_GT(std::stoi(*over.header("Retry-After")), 3000);
}

}  // namespace
}  // namespace ttb::fakes::codility
