// The per-order webhook credential: fresh, random, checked exactly.
#include "webhook_token.h"

#include <set>

#include <gtest/gtest.h>

namespace ttb::hackerrank {
namespace {

TEST(HackerRankWebhookToken, IsFresh64HexChars) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    std::string t = new_webhook_token();
    EXPECT_EQ(t.size(), 64u);
    EXPECT_EQ(t.find_first_not_of("0123456789abcdef"), std::string::npos);
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 50u);
}

TEST(HackerRankWebhookToken, AcceptsOnlyTheExactBearerToken) {
  const std::string token = new_webhook_token();
  EXPECT_TRUE(bearer_matches({{"Authorization", "Bearer " + token}}, token));
  EXPECT_TRUE(bearer_matches({{"authorization", "bearer " + token}}, token));
  EXPECT_FALSE(bearer_matches({{"Authorization", "Bearer " + token.substr(1)}}, token));
  EXPECT_FALSE(bearer_matches({{"Authorization", "Bearer " + token + "0"}}, token));
  std::string flipped = token;
  flipped.back() = flipped.back() == 'a' ? 'b' : 'a';
  EXPECT_FALSE(bearer_matches({{"Authorization", "Bearer " + flipped}}, token));
  EXPECT_FALSE(bearer_matches({{"Authorization", "Basic " + token}}, token));
  EXPECT_FALSE(bearer_matches({{"X-Token", token}}, token));
  EXPECT_FALSE(bearer_matches({}, token));
  EXPECT_FALSE(
      bearer_matches({{"Authorization", "Bearer "}}, ""));  // no token issued: nothing matches
}

}  // namespace
}  // namespace ttb::hackerrank
