// The Checkr fake itself behaves like Checkr where the plugin tests cannot see it: auth errors,
// form bodies, paging links, idempotent replays, rate-limit headers, the /__sim routes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fake_checkr.h"
#include "net/http_client.h"
#include "wire.h"

namespace {

using nlohmann::json;
using namespace ttb::fakes::checkr;

class FakeCheckrTest : public ::testing::Test {
 protected:
  ttb::net::ClientResponse call(const std::string& method, const std::string& path,
                                const std::string& body = "", ttb::net::Headers headers = {},
                                bool auth = true) {
    ttb::net::ClientRequest r;
    r.method = method;
    r.url = (path.rfind("/__sim", 0) == 0 ? "http://127.0.0.1:" + std::to_string(fake_.port())
                                          : fake_.base_url()) +
            path;
    r.headers = std::move(headers);
    if (auth) r.headers.emplace_back("Authorization", "Basic " + encode(fake_.api_key() + ":"));
    r.body = body;
    return client_->send(r);
  }
  static std::string encode(const std::string& s) {
    static const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    int val = 0, bits = -6;
    for (unsigned char c : s) {
      val = (val << 8) + c;
      bits += 8;
      while (bits >= 0) {
        out.push_back(a[(val >> bits) & 0x3f]);
        bits -= 6;
      }
    }
    if (bits > -6) out.push_back(a[((val << 8) >> (bits + 8)) & 0x3f]);
    while (out.size() % 4) out.push_back('=');
    return out;
  }

  FakeCheckr fake_;
  std::unique_ptr<ttb::net::HttpClient> client_ = ttb::net::make_http_client();
};

TEST_F(FakeCheckrTest, RefusesWrongCredentialsWithCheckrsErrorShape) {
  auto r = call("GET", "/packages", "", {}, false);
  EXPECT_EQ(r.status, 401);
  EXPECT_TRUE(json::parse(r.body).contains("error"));
  auto wrong = call("GET", "/packages", "", {{"Authorization", "Basic " + encode("nope:")}}, false);
  EXPECT_EQ(wrong.status, 401);
}

TEST_F(FakeCheckrTest, AcceptsFormEncodedCandidates) {
  auto r = call("POST", "/candidates", "email=ada%40example.com&first_name=Ada+Lee&custom_id=o1",
                {{"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_EQ(r.status, 201) << r.body;
  json c = json::parse(r.body);
  EXPECT_EQ(c["email"], "ada@example.com");
  EXPECT_EQ(c["first_name"], "Ada Lee");
  auto found = json::parse(call("GET", "/candidates?custom_id=o1").body);
  ASSERT_EQ(found["data"].size(), 1u);
  EXPECT_EQ(found["data"][0]["id"], c["id"]);
  EXPECT_TRUE(json::parse(call("GET", "/candidates?custom_id=other").body)["data"].empty());
}

TEST_F(FakeCheckrTest, PagesPackagesWithNextHref) {
  for (int i = 0; i < 3; ++i) {
    std::string id = "p";  // appended, not `"p" + ...`: GCC bug 105329, a false -Wrestrict at -O3
    id += std::to_string(i);
    fake_.add_package(Package{id, "P", {}});
  }
  json p1 = json::parse(call("GET", "/packages?per_page=2").body);
  EXPECT_EQ(p1["count"], 5);
  EXPECT_EQ(p1["data"].size(), 2u);
  EXPECT_EQ(p1["next_href"], "/v1/packages?page=2&per_page=2");
  json p3 = json::parse(call("GET", "/packages?page=3&per_page=2").body);
  EXPECT_EQ(p3["data"].size(), 1u);
  EXPECT_TRUE(p3["next_href"].is_null());
}

TEST_F(FakeCheckrTest, ReplaysPostsWithTheSameIdempotencyKey) {
  ttb::net::Headers h{{"Content-Type", "application/json"}, {"Idempotency-Key", "k1"}};
  auto a = call("POST", "/candidates", R"({"email":"a@b.c"})", h);
  auto b = call("POST", "/candidates", R"({"email":"a@b.c"})", h);
  EXPECT_EQ(a.status, 201);
  EXPECT_EQ(a.body, b.body);
  EXPECT_EQ(fake_.candidates_created(), 1);
}

TEST_F(FakeCheckrTest, SendsRateLimitHeadersAndInjected429s) {
  auto ok = call("GET", "/packages");
  EXPECT_EQ(ok.header("X-Ratelimit-Limit"), "1200");
  EXPECT_EQ(ok.header("X-Ratelimit-Reset"), "2025-03-01T10:01:00Z");
  fake_.inject(Fault{"GET", "/packages", 429, 1, std::string("2025-03-01T10:00:09Z"), false,
                     std::chrono::milliseconds(0)});
  auto limited = call("GET", "/packages");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.header("X-Ratelimit-Reset"), "2025-03-01T10:00:09Z");
  EXPECT_EQ(limited.header("X-Ratelimit-Remaining"), "0");
}

TEST_F(FakeCheckrTest, SimRoutesMoveAnInvitationToACompleteReport) {
  auto cand = json::parse(
      call("POST", "/candidates", R"({"email":"a@b.c"})", {{"Content-Type", "application/json"}})
          .body);
  auto inv =
      json::parse(call("POST", "/invitations",
                       json{{"package", "basic_criminal"}, {"candidate_id", cand["id"]}}.dump(),
                       {{"Content-Type", "application/json"}})
                      .body);
  auto done = call("POST", "/__sim/invitations/" + inv["id"].get<std::string>() + "/complete", "",
                   {}, false);
  ASSERT_EQ(done.status, 200) << done.body;
  std::string report_id = json::parse(done.body)["report_id"];
  EXPECT_EQ(call("POST", "/__sim/reports/" + report_id,
                 R"({"status":"complete","result":"clear","assessment":"eligible"})", {}, false)
                .status,
            200);
  json report = json::parse(
      call("GET", "/reports/" + report_id + "?include=candidate,documents,ssn_trace").body);
  EXPECT_EQ(report["status"], "complete");
  EXPECT_EQ(report["assessment"], "eligible");
  EXPECT_EQ(report["ssn_trace"]["status"], "complete");
  EXPECT_FALSE(report.contains("county_criminal_searches"));  // not asked for
  EXPECT_EQ(report["county_criminal_search_ids"].size(), 1u);
  ASSERT_EQ(report["documents"].size(), 1u);
  // The PDF link works without the key, like Checkr's presigned URLs.
  auto pdf = client_->send(ttb::net::ClientRequest{
      "GET", report["documents"][0]["download_uri"], {}, "", std::chrono::seconds(5)});
  EXPECT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.body.rfind("%PDF-", 0), 0u);
}

TEST(CheckrFakeWire, DecodesBasicFormsAndTimes) {
  EXPECT_EQ(basic_user("Basic c2tfdGVzdF9hYmM6"), "sk_test_abc");
  EXPECT_FALSE(basic_user("Bearer x"));
  EXPECT_EQ(parse_form("a=1&b=x+y&c=%2F")["c"], "/");
  EXPECT_EQ(iso_time(1740823200000), "2025-03-01T10:00:00Z");
  EXPECT_EQ(iso_time(1709164800000), "2024-02-29T00:00:00Z");
}

}  // namespace
