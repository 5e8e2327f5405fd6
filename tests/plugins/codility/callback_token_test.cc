// callback_token: the per-order secret in the callback URL, its path, and the constant-time
// check.
#include "callback_token.h"

#include <gtest/gtest.h>

#include "ttbridge/plugin.hpp"

namespace ttb::codility {
namespace {

TEST(CodilityCallbackToken, IsPerOrderAndPerKeyAndStable) {
  const std::string a = callback_token("key-one-0123456789", "pr_1");
  EXPECT_EQ(a.size(), 64u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(a, callback_token("key-one-0123456789", "pr_1"));  // a retried invite: same URL
  EXPECT_NE(a, callback_token("key-one-0123456789", "pr_2"));
  EXPECT_NE(a, callback_token("key-two-0123456789", "pr_1"));
}

TEST(CodilityCallbackToken, KeyIsTheSecretOrDerivedFromTheApiToken) {
  Config with_secret;
  with_secret.api_token = "tok";
  with_secret.callback_secret = "0123456789abcdef-secret";
  EXPECT_EQ(callback_key(with_secret), "0123456789abcdef-secret");
  Config without;
  without.api_token = "tok";
  const std::string derived = callback_key(without);
  EXPECT_EQ(derived.size(), 64u);
  EXPECT_EQ(derived.find("tok"), std::string::npos);
  without.api_token = "tok2";
  EXPECT_NE(callback_key(without), derived);
}

TEST(CodilityCallbackToken, RewritesTheHostUrlIntoTheResultsRoute) {
  EXPECT_EQ(callback_url_for("https://tt.example/callbacks/acme/codility/orders/pr_1", "abc"),
            "https://tt.example/callbacks/acme/codility/results/pr_1/abc");
  EXPECT_EQ(callback_url_for("http://127.0.0.1:9/callbacks/a/c/orders/pr%2F1", "t"),
            "http://127.0.0.1:9/callbacks/a/c/results/pr%2F1/t");
  for (const char* bad : {"https://tt.example/callbacks/acme/codility",
                          "https://tt.example/callbacks/acme/codility/orders/",
                          "https://tt.example/callbacks/acme/codility/orders/pr_1/x",
                          "https://tt.example/callbacks/acme/codility/orders/pr_1?x=1"}) {
    try {
      callback_url_for(bad, "t");
      ADD_FAILURE() << bad;
    } catch (const sdk::Error& e) {
      EXPECT_EQ(e.status(), TTB_STATUS_INVALID);
    }
  }
}

TEST(CodilityCallbackToken, ParsesTheResultsPath) {
  auto p = parse_callback_path("results/pr_1/abcdef");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->order_id, "pr_1");
  EXPECT_EQ(p->token, "abcdef");
  // An order id with a slash (decoded by the host) keeps it; the token is the last segment.
  p = parse_callback_path("results/a/b/tok");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->order_id, "a/b");
  EXPECT_EQ(p->token, "tok");
  for (const char* bad : {"", "orders/pr_1", "results/", "results/pr_1", "results/pr_1/",
                          "results//tok", "other/pr_1/tok"})
    EXPECT_FALSE(parse_callback_path(bad)) << bad;
}

TEST(CodilityCallbackToken, MatchesOnlyTheOrdersOwnToken) {
  const std::string key = "key-0123456789abcdef";
  const std::string good = callback_token(key, "pr_1");
  EXPECT_TRUE(token_matches(key, "pr_1", good));
  EXPECT_FALSE(token_matches(key, "pr_2", good));
  EXPECT_FALSE(token_matches(key, "pr_1", good.substr(1)));
  EXPECT_FALSE(token_matches(key, "pr_1", ""));
  std::string flipped = good;
  flipped.back() = flipped.back() == 'a' ? 'b' : 'a';
  EXPECT_FALSE(token_matches(key, "pr_1", flipped));
  EXPECT_FALSE(token_matches("", "pr_1", callback_token("", "pr_1")));
  EXPECT_FALSE(token_matches(key, "", callback_token(key, "")));
}

}  // namespace
}  // namespace ttb::codility
