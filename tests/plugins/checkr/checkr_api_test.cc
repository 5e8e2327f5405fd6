// checkr_api: the Checkr requests the plugin builds (auth, bodies, idempotency keys) and how it
// reads Checkr's answers (errors, rate-limit waits), without a host.
#include <gtest/gtest.h>

#include "checkr_api.h"

namespace {

using namespace ttb::checkr;
using nlohmann::json;

Config config_with(const std::string& extra = "") {
  return parse_config(R"({"api_key":"sk_test_abc","base_url":"http://127.0.0.1:9/v1")" + extra +
                      "}");
}

TEST(CheckrApi, AuthenticatesWithTheKeyAsBasicUserAndNoPassword) {
  EXPECT_EQ(basic_authorization("sk_test_abc"),
            "Basic c2tfdGVzdF9hYmM6");  // base64("sk_test_abc:")
  CheckrApi api(config_with());
  auto r = api.list_packages(2);
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.url, "http://127.0.0.1:9/v1/packages?page=2&per_page=100");
  EXPECT_EQ(ttb::sdk::find_header(r.headers, "authorization"), "Basic c2tfdGVzdF9hYmM6");
}

TEST(CheckrApi, PostsJsonWithAnIdempotencyKey) {
  CheckrApi api(config_with());
  auto r = api.create_invitation(json{{"package", "basic"}}, "key-1");
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(ttb::sdk::find_header(r.headers, "Content-Type"), "application/json");
  EXPECT_EQ(ttb::sdk::find_header(r.headers, "Idempotency-Key"), "key-1");
  EXPECT_EQ(json::parse(r.body), (json{{"package", "basic"}}));
}

TEST(CheckrApi, EncodesIdsInPathsAndQueries) {
  CheckrApi api(config_with());
  EXPECT_EQ(api.get_invitation("../admin?x").url,
            "http://127.0.0.1:9/v1/invitations/..%2Fadmin%3Fx");
  EXPECT_EQ(api.find_candidate("a b&c").url,
            "http://127.0.0.1:9/v1/candidates?custom_id=a%20b%26c");
  EXPECT_NE(api.get_report("rpt_1").url.find("/reports/rpt_1?include=candidate%2Cdocuments%2C"),
            std::string::npos);
}

TEST(CheckrApi, IdempotencyKeysAreStablePerOrderAndStep) {
  std::string a = idempotency_key("invitation", "order-1");
  EXPECT_EQ(a, idempotency_key("invitation", "order-1"));  // a retry sends the same key
  EXPECT_NE(a, idempotency_key("invitation", "order-2"));
  EXPECT_NE(a, idempotency_key("candidate", "order-1"));
  ASSERT_EQ(a.size(), 36u);  // UUID-shaped, as Checkr suggests
  EXPECT_EQ(a[8], '-');
  EXPECT_EQ(a[14], '8');
  EXPECT_EQ(a.find("order-1"), std::string::npos);
}

ttb::sdk::HttpResponse answer(int code, std::string body = "{}", ttb::sdk::Headers headers = {}) {
  ttb::sdk::HttpResponse r;
  r.status = TTB_STATUS_OK;
  r.http_status = code;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

// The error answer_body() throws for `r`. Fails the test when it throws none.
ttb::sdk::Error failure(const ttb::sdk::HttpResponse& r, std::string_view what, std::int64_t now) {
  try {
    answer_body(r, what, now);
  } catch (const ttb::sdk::Error& e) {
    return e;
  }
  ADD_FAILURE() << "answer_body accepted HTTP " << r.http_status;
  return ttb::sdk::Error(TTB_STATUS_OK, "");
}

TEST(CheckrApi, ClassifiesAnswers) {
  const std::int64_t now = 1740823200000;
  EXPECT_EQ(answer_body(answer(200), "x", now), json::object());
  EXPECT_EQ(answer_body(answer(201), "x", now), json::object());
  EXPECT_NO_THROW(check_answer(answer(204, ""), "x", now));
  EXPECT_EQ(failure(answer(401, R"({"error":"Bad authentication error"})"), "x", now).status(),
            TTB_STATUS_AUTH);
  EXPECT_EQ(failure(answer(403), "x", now).status(), TTB_STATUS_AUTH);
  EXPECT_EQ(failure(answer(404), "x", now).status(), TTB_STATUS_NOT_FOUND);
  EXPECT_EQ(failure(answer(400), "x", now).status(), TTB_STATUS_INVALID);
  EXPECT_EQ(failure(answer(409), "x", now).status(), TTB_STATUS_INVALID);
  EXPECT_EQ(failure(answer(502), "x", now).status(), TTB_STATUS_VENDOR_UNAVAILABLE);
  ttb::sdk::HttpResponse none;
  none.status = TTB_STATUS_VENDOR_UNAVAILABLE;
  none.error = "connection refused";
  auto f = failure(none, "list packages", now);
  EXPECT_EQ(f.status(), TTB_STATUS_VENDOR_UNAVAILABLE);
  EXPECT_NE(std::string(f.what()).find("connection refused"), std::string::npos);
}

TEST(CheckrApi, VendorErrorMessageGoesIntoTheDetail) {
  auto f = failure(answer(404, R"({"error":"Package not found"})"), "create the invitation", 0);
  EXPECT_STREQ(f.what(), "Checkr: could not create the invitation (HTTP 404): Package not found");
}

TEST(CheckrApi, RateLimitedAnswersCarryTheResetTime) {
  const std::int64_t now = 1740823200000;
  auto f = failure(answer(429, R"({"error":"Too many requests"})",
                          {{"x-ratelimit-reset", "2025-03-01T10:00:05Z"}}),
                   "x", now);
  EXPECT_EQ(f.status(), TTB_STATUS_RATE_LIMITED);
  EXPECT_EQ(f.retry_after_ms(), 5000u);
  EXPECT_EQ(failure(answer(429), "x", now).retry_after_ms(), 2000u);
}

TEST(CheckrApi, NonJsonSuccessIsTheVendorsFault) {
  EXPECT_EQ(failure(answer(200, "<html>"), "fetch the report", 0).status(),
            TTB_STATUS_VENDOR_UNAVAILABLE);
  json out = answer_body(answer(200, R"({"id":"x","unknown":[1,2]})"), "x", 0);
  EXPECT_EQ(out["id"], "x");
}

// ---- 429: X-Ratelimit-Reset is an ISO timestamp; the wait is reset − host now.

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
