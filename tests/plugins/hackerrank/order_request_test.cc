// create_order's pure steps: reading the engine's request, the invite body, the "sent" update.
#include "order_request.h"

#include <gtest/gtest.h>

#include "ttbridge/plugin.hpp"

namespace hackerrank {
namespace {

using nlohmann::json;

const char* kRequest = R"({"order_id":"pr-1","test_id":"4711",
  "candidate":{"id":1001,"first_name":"Ada","last_name":"Lovelace","email":"ada@example.org","phone":"+4670"},
  "job":{"id":77,"title":"C++ Engineer"},"options":{},"locale":"en",
  "callback_url":"https://bridge.example/callbacks/acme/hackerrank/orders/pr-1","extra":true})";

TEST(HackerRankOrderRequest, ReadsTheDocumentedFields) {
  OrderRequest o = parse_order_request(kRequest);
  EXPECT_EQ(o.order_id, "pr-1");
  EXPECT_EQ(o.test_id, "4711");
  EXPECT_EQ(o.candidate_id, "1001");
  EXPECT_EQ(o.email, "ada@example.org");
  EXPECT_EQ(o.job_id, "77");
  EXPECT_EQ(o.job_title, "C++ Engineer");
  EXPECT_EQ(o.callback_url, "https://bridge.example/callbacks/acme/hackerrank/orders/pr-1");
}

TEST(HackerRankOrderRequest, MissingEmailIsInvalid) {
  try {
    parse_order_request(
        R"({"order_id":"1","test_id":"2","callback_url":"https://x","candidate":{"first_name":"A"}})");
    FAIL();
  } catch (const ttb::sdk::Error& e) {
    EXPECT_EQ(e.status(), TTB_STATUS_INVALID);
    EXPECT_NE(std::string(e.what()).find("candidate.email"), std::string::npos);
  }
  EXPECT_THROW(parse_order_request("{"), ttb::sdk::Error);
  EXPECT_THROW(parse_order_request(R"({"order_id":"1","test_id":"2","candidate":{"email":"a@b"}})"),
               ttb::sdk::Error);
}

TEST(HackerRankOrderRequest, InviteBodySetsCallbackTokenAndSendEmailExplicitly) {
  OrderRequest o = parse_order_request(kRequest);
  json body = build_invite_body(o, false, "tok");
  EXPECT_EQ(body["email"], "ada@example.org");
  EXPECT_EQ(body["full_name"], "Ada Lovelace");
  ASSERT_TRUE(body.contains("send_email"));
  EXPECT_EQ(body["send_email"], false);
  EXPECT_EQ(build_invite_body(o, true, "tok")["send_email"], true);
  EXPECT_EQ(body["test_result_url"], o.callback_url);
  EXPECT_EQ(body["accept_result_updates"], true);
  EXPECT_EQ(body["webhook_authentication"],
            (json{{"type", "bearer_token"}, {"data", {{"token", "tok"}}}}));
  EXPECT_EQ(body["invite_metadata"]["ttbridge_order_id"], "pr-1");
  EXPECT_EQ(body["invite_metadata"]["teamtailor_candidate_id"], "1001");
  EXPECT_EQ(body["invite_metadata"]["teamtailor_job_id"], "77");
  EXPECT_EQ(body["invite_metadata"]["job_title"], "C++ Engineer");
  EXPECT_EQ(body["invite_metadata"]["phone"], "+4670");
}

TEST(HackerRankOrderRequest, InviteAnswerBecomesASentUpdate) {
  OrderRequest o = parse_order_request(kRequest);
  json u = invite_update(
      o,
      json::parse(
          R"({"id":1287345,"email":"ada@example.org","test_link":"https://hr/t/x9k2/login?b=1"})"),
      "tok");
  EXPECT_EQ(u["order_id"], "pr-1");
  EXPECT_EQ(u["status"], "sent");
  EXPECT_EQ(u["vendor_order_id"], "4711/1287345");
  EXPECT_EQ(u["candidate_url"], "https://hr/t/x9k2/login?b=1");
  EXPECT_EQ(u["vendor_state"],
            (json{{"test_id", "4711"}, {"candidate_id", "1287345"}, {"token", "tok"}}));
  EXPECT_THROW(invite_update(o, json::parse(R"({"email":"a"})"), "tok"), ttb::sdk::Error);
}

}  // namespace
}  // namespace hackerrank
