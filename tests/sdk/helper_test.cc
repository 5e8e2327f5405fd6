// plugin.hpp's promises, checked against a minimal host table: a Call completes exactly once,
// a dropped Call completes with INTERNAL, and ttb::sdk::Error carries its status. Also the
// helpers every plugin uses: constant_time_equals and the CallbackReply builder.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "ttbridge/plugin.hpp"

namespace {

struct Recorded {
  ttb_status status;
  std::string json, detail;
  std::uint32_t retry_after_ms;
};
std::vector<Recorded> g_completions;

void complete(const ttb_host*, ttb_call*, const ttb_completion* c) {
  g_completions.push_back({c->status, std::string(ttb::sdk::to_view(c->json)),
                           std::string(ttb::sdk::to_view(c->detail)), c->retry_after_ms});
}

ttb_host make_host() {
  ttb_host h{};
  h.struct_size = sizeof h;
  h.abi_major = TTB_ABI_MAJOR;
  h.complete = &complete;
  return h;
}

ttb_call* token(std::uintptr_t id) {
  return reinterpret_cast<ttb_call*>(id);
}

TEST(SdkCall, CompletesExactlyOnceAcrossCopies) {
  g_completions.clear();
  ttb_host h = make_host();
  {
    ttb::sdk::Call a(&h, token(1));
    ttb::sdk::Call b = a;
    a.ok("{}");
    b.fail(TTB_STATUS_INVALID, "second");
    EXPECT_TRUE(b.done());
  }
  ASSERT_EQ(g_completions.size(), 1u);
  EXPECT_EQ(g_completions[0].status, TTB_STATUS_OK);
}

TEST(SdkCall, DroppedCallCompletesWithInternal) {
  g_completions.clear();
  ttb_host h = make_host();
  { ttb::sdk::Call a(&h, token(2)); }
  ASSERT_EQ(g_completions.size(), 1u);
  EXPECT_EQ(g_completions[0].status, TTB_STATUS_INTERNAL);
  EXPECT_NE(g_completions[0].detail.find("without completing"), std::string::npos);
}

TEST(SdkTrampolines, ErrorKeepsItsStatusAndOtherExceptionsBecomeInternal) {
  g_completions.clear();
  ttb_host h = make_host();
  ttb::sdk::detail::guarded(&h, token(3), [](ttb::sdk::Call) {
    throw ttb::sdk::Error(TTB_STATUS_RATE_LIMITED, "slow down", 1500);
  });
  ttb::sdk::detail::guarded(&h, token(4), [](ttb::sdk::Call) { throw std::runtime_error("bug"); });
  ASSERT_EQ(g_completions.size(), 2u);
  EXPECT_EQ(g_completions[0].status, TTB_STATUS_RATE_LIMITED);
  EXPECT_EQ(g_completions[0].retry_after_ms, 1500u);
  EXPECT_EQ(g_completions[1].status, TTB_STATUS_INTERNAL);
  EXPECT_EQ(g_completions[1].detail, "bug");
}

TEST(SdkConstantTimeEquals, ComparesWholeStrings) {
  using ttb::sdk::constant_time_equals;
  EXPECT_TRUE(constant_time_equals("abc", "abc"));
  EXPECT_TRUE(constant_time_equals("", ""));
  EXPECT_FALSE(constant_time_equals("abc", "abd"));
  EXPECT_FALSE(constant_time_equals("abc", "Abc"));
  EXPECT_FALSE(constant_time_equals("abc", "abcd"));
  EXPECT_FALSE(constant_time_equals("abc", ""));
  EXPECT_FALSE(constant_time_equals(std::string_view("a\0c", 3), std::string_view("a\0d", 3)));
}

TEST(SdkCallbackReply, BuildsTheReplyTheHostExpects) {
  EXPECT_EQ(ttb::sdk::CallbackReply(401).json_body(R"({"error":"invalid signature"})").to_json(),
            R"({"reply":{"status":401,"headers":[["Content-Type","application/json"]],)"
            R"("body":"{\"error\":\"invalid signature\"}"},"updates":[]})");
}

TEST(SdkCallbackReply, CarriesTheEventIdOnlyWhenSet) {
  EXPECT_EQ(ttb::sdk::CallbackReply(200).body("ok").event_id("evt_1").to_json(),
            R"({"reply":{"status":200,"headers":[],"body":"ok"},"event_id":"evt_1","updates":[]})");
  EXPECT_EQ(ttb::sdk::CallbackReply().event_id("").to_json(),
            R"({"reply":{"status":200,"headers":[],"body":""},"updates":[]})");
}

TEST(SdkCallbackReply, CopiesUpdatesInOrderAndKeepsHeaders) {
  auto json = ttb::sdk::CallbackReply(202)
                  .header("X-A", "1")
                  .header("X-B", "2")
                  .update(R"({"vendor_order_id":"v1","status":"sent"})")
                  .update(R"({"order_id":"o2","status":"completed","score":87})")
                  .to_json();
  EXPECT_EQ(json, R"({"reply":{"status":202,"headers":[["X-A","1"],["X-B","2"]],"body":""},)"
                  R"("updates":[{"vendor_order_id":"v1","status":"sent"},)"
                  R"({"order_id":"o2","status":"completed","score":87}]})");
}

TEST(SdkCallbackReply, EscapesStringsAsJson) {
  std::string body = "line \"one\"\n\\two\t";
  body += '\x01';
  body += "\xc3\xa5";  // UTF-8 passes through unchanged
  EXPECT_EQ(
      ttb::sdk::CallbackReply(400).header("X-Why", "a\rb").body(body).event_id("e\"1").to_json(),
      "{\"reply\":{\"status\":400,\"headers\":[[\"X-Why\",\"a\\rb\"]],"
      "\"body\":\"line \\\"one\\\"\\n\\\\two\\t\\u0001\xc3\xa5\"},"
      "\"event_id\":\"e\\\"1\",\"updates\":[]}");
}

TEST(SdkCallbackReply, EveryControlCharacterRoundTripsThroughAJsonParser) {
  std::string body;
  for (int c = 1; c < 0x20; ++c) body += static_cast<char>(c);
  body += "\"\\/ end";
  auto parsed = nlohmann::json::parse(ttb::sdk::CallbackReply(200).body(body).to_json());
  EXPECT_EQ(parsed["reply"]["body"], body);
}

}  // namespace
