// The Checkr requests the plugin builds (auth, bodies, idempotency keys) and how it classifies
// Checkr's answers, without a host.
#include <gtest/gtest.h>

#include "checkr_api.h"
#include "order_request.h"
#include "signature.h"
#include "ttbridge/hmac_sha256.hpp"

namespace {

using namespace ttb::checkr;
using nlohmann::json;

Config config_with(const std::string& extra = "") {
  auto r =
      parse_config(R"({"api_key":"sk_test_abc","base_url":"http://127.0.0.1:9/v1")" + extra + "}");
  EXPECT_TRUE(r.config) << r.error;
  return *r.config;
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

TEST(CheckrApi, ClassifiesAnswers) {
  const std::int64_t now = 1740823200000;
  EXPECT_FALSE(classify(answer(200), "x", now));
  EXPECT_FALSE(classify(answer(201), "x", now));
  EXPECT_EQ(classify(answer(401, R"({"error":"Bad authentication error"})"), "x", now)->status,
            TTB_STATUS_AUTH);
  EXPECT_EQ(classify(answer(403), "x", now)->status, TTB_STATUS_AUTH);
  EXPECT_EQ(classify(answer(404), "x", now)->status, TTB_STATUS_NOT_FOUND);
  EXPECT_EQ(classify(answer(400), "x", now)->status, TTB_STATUS_INVALID);
  EXPECT_EQ(classify(answer(409), "x", now)->status, TTB_STATUS_INVALID);
  EXPECT_EQ(classify(answer(502), "x", now)->status, TTB_STATUS_VENDOR_UNAVAILABLE);
  ttb::sdk::HttpResponse none;
  none.status = TTB_STATUS_VENDOR_UNAVAILABLE;
  none.error = "connection refused";
  auto f = classify(none, "list packages", now);
  EXPECT_EQ(f->status, TTB_STATUS_VENDOR_UNAVAILABLE);
  EXPECT_NE(f->detail.find("connection refused"), std::string::npos);
}

TEST(CheckrApi, VendorErrorMessageGoesIntoTheDetail) {
  auto f = classify(answer(404, R"({"error":"Package not found"})"), "create the invitation", 0);
  EXPECT_EQ(f->detail, "Checkr: could not create the invitation (HTTP 404): Package not found");
}

TEST(CheckrApi, RateLimitedAnswersCarryTheResetTime) {
  const std::int64_t now = 1740823200000;
  auto f = classify(answer(429, R"({"error":"Too many requests"})",
                           {{"x-ratelimit-reset", "2025-03-01T10:00:05Z"}}),
                    "x", now);
  EXPECT_EQ(f->status, TTB_STATUS_RATE_LIMITED);
  EXPECT_EQ(f->retry_after_ms, 5000u);
  EXPECT_EQ(classify(answer(429), "x", now)->retry_after_ms, 2000u);
}

TEST(CheckrApi, NonJsonSuccessIsTheVendorsFault) {
  json out;
  auto f = parse_body(answer(200, "<html>"), "fetch the report", out);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->status, TTB_STATUS_VENDOR_UNAVAILABLE);
  EXPECT_FALSE(parse_body(answer(200, R"({"id":"x","unknown":[1,2]})"), "x", out));
  EXPECT_EQ(out["id"], "x");
}

TEST(CheckrSignature, AcceptsTheHmacOfTheRawBodyInEitherCase) {
  const std::string body = R"({"id":"evt_1","type":"report.completed"})";
  const std::string sig = ttb::sdk::hmac_sha256_hex("sk_key", body);
  EXPECT_TRUE(signature_is_valid("sk_key", body, sig));
  std::string upper = sig;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(signature_is_valid("sk_key", body, upper));
}

TEST(CheckrSignature, RejectsWrongKeyChangedBodyMissingHeaderAndPlaceholder) {
  const std::string body = R"({"id":"evt_1"})";
  const std::string sig = ttb::sdk::hmac_sha256_hex("sk_key", body);
  EXPECT_FALSE(signature_is_valid("other", body, sig));
  EXPECT_FALSE(
      signature_is_valid("sk_key", body + " ", sig));  // re-serialized bodies do not verify
  EXPECT_FALSE(signature_is_valid("sk_key", body, std::nullopt));
  EXPECT_FALSE(signature_is_valid("sk_key", body, std::string_view("")));
  EXPECT_FALSE(signature_is_valid("sk_key", body,
                                  std::string_view("This account does not have an API key")));
  EXPECT_FALSE(signature_is_valid("sk_key", body, sig.substr(0, 63)));
}

TEST(CheckrOrderRequest, ReadsTheHostsCreateOrderPayload) {
  std::string error;
  auto o = parse_order_request(
      R"({"order_id":"pr-1","test_id":"basic_criminal","candidate":{"id":77,"first_name":"Ada",
    "last_name":"Lee","email":"ada@example.com","phone":"+15550100"},"job":{"id":"j9","title":"Driver"},
    "options":{},"callback_url":"https://e/callbacks/acme/checkr/orders/pr-1","locale":"en","future":true})",
      error);
  ASSERT_TRUE(o) << error;
  EXPECT_EQ(o->order_id, "pr-1");
  EXPECT_EQ(o->package, "basic_criminal");
  EXPECT_EQ(o->teamtailor_candidate_id, "77");
  json cand = candidate_body(*o);
  EXPECT_EQ(cand["custom_id"], "pr-1");
  EXPECT_EQ(cand["email"], "ada@example.com");
  EXPECT_EQ(cand["phone"], "+15550100");
  EXPECT_EQ(cand["metadata"]["teamtailor_job_title"], "Driver");
}

TEST(CheckrOrderRequest, InvitationCarriesWorkLocationNodeAndTags) {
  std::string error;
  auto o = parse_order_request(
      R"({"order_id":"pr-1","test_id":"basic","candidate":{"email":"a@b.c"}})", error);
  ASSERT_TRUE(o);
  json inv = invitation_body(
      *o, "cand_1",
      config_with(R"(,"work_location":{"state":"CA","city":"Oakland"},"node":"hq","tags":["tt"])"));
  EXPECT_EQ(inv["package"], "basic");
  EXPECT_EQ(inv["candidate_id"], "cand_1");
  EXPECT_EQ(inv["work_locations"],
            json::parse(R"([{"country":"US","state":"CA","city":"Oakland"}])"));
  EXPECT_EQ(inv["node"], "hq");
  EXPECT_EQ(inv["tags"], json::parse(R"(["tt"])"));
  EXPECT_FALSE(invitation_body(*o, "cand_1", config_with()).contains("work_locations"));
}

TEST(CheckrOrderRequest, RefusesRequestsItCannotOrder) {
  std::string error;
  EXPECT_FALSE(parse_order_request("not json", error));
  error.clear();
  EXPECT_FALSE(parse_order_request(R"({"test_id":"b","candidate":{"email":"a@b.c"}})", error));
  EXPECT_NE(error.find("order_id"), std::string::npos);
  error.clear();
  EXPECT_FALSE(parse_order_request(R"({"order_id":"1","test_id":"b","candidate":{}})", error));
  EXPECT_NE(error.find("email"), std::string::npos);
  error.clear();
  EXPECT_FALSE(parse_order_context(R"({"order_id":"1"})", error));
  EXPECT_NE(error.find("vendor_order_id"), std::string::npos);
}

}  // namespace
