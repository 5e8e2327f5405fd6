// Activation tokens: how strong one must be (docs/configuration.md, "Activation tokens"), and the
// tenant's legacy_provider_key switch.

#include "config/token_strength.h"
#include "config_fixture.h"

namespace ttb::config::testing {
namespace {

using TokenRulesTest = ConfigTest;

TEST(TokenBits, CountsFourBitsPerHexDigitAndSixPerBase64urlCharacter) {
  EXPECT_EQ(token_bits("0123456789abcdef0123456789ABCDEF"), 128);
  EXPECT_EQ(token_bits("0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"), 128);  // a UUID: 32 hex digits
  EXPECT_EQ(token_bits("AbCdEfGhIjKlMnOpQrStUv"), 132);                // 22 base64url characters
  EXPECT_EQ(token_bits("AbCdEfGhIjKlMnOpQrSt_=="), 126);               // padding counts nothing
  EXPECT_EQ(token_bits("0123456789abcdef0123456789abcde"), 124);       // 31 hex digits
  EXPECT_EQ(token_bits("tok-acme"), 48);
}

TEST(TokenBits, RefusesOtherEncodings) {
  EXPECT_EQ(token_bits(""), std::nullopt);
  EXPECT_EQ(token_bits("a token with spaces in it, long enough"), std::nullopt);
  EXPECT_EQ(token_bits("abc+def/ghi+jkl/mno+pqr/stu"), std::nullopt);  // base64, not base64url
  EXPECT_EQ(token_bits("===="), std::nullopt);
}

TEST_F(TokenRulesTest, RefusesAShortTokenWithItsFileAndLine) {
  write_main();
  write("tenants/acme.yaml", "id: acme\nactivation_token: \"tok-acme\"\n");
  const LoadResult result = load();
  ASSERT_FALSE(result.ok());
  EXPECT_PROBLEM_AT(result.problems, "activation_token is too short: 48 bits, at least 128", 2, 19);
  EXPECT_EQ(result.problems.front().where.file, (dir_ / "tenants/acme.yaml").string());
  EXPECT_EQ(all(result.problems).find("\"tok-acme\""), std::string::npos)
      << "the token itself is never shown";
}

TEST_F(TokenRulesTest, RefusesAShortTokenFromAFileAtTheReference) {
  write_main();
  write("tenants/acme.token", "0123456789abcdef0123456789abcde\n");  // 124 bits
  write("tenants/acme.yaml", "id: acme\nactivation_token: \"${file:acme.token}\"\n");
  const LoadResult result = load();
  EXPECT_PROBLEM_AT(result.problems, "activation_token is too short: 124 bits", 2, 19);
}

TEST_F(TokenRulesTest, RefusesATokenInNoAcceptedEncoding) {
  write_main();
  write("tenants/acme.yaml",
        "id: acme\nactivation_token: \"correct horse battery staple, quite long\"\n");
  const LoadResult result = load();
  EXPECT_PROBLEM_AT(result.problems, "activation_token is neither hex nor base64url", 2, 19);
}

TEST_F(TokenRulesTest, AcceptsTokensOf128BitsAndMore) {
  write_main();
  write("tenants/a.yaml", "id: a\nactivation_token: \"0123456789abcdef0123456789abcdef\"\n");
  write("tenants/b.yaml", "id: b\nactivation_token: \"AbCdEfGhIjKlMnOpQrStUv\"\n");
  write("tenants/c.yaml", "id: c\nactivation_token: \"0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b\"\n");
  const LoadResult result = load();
  ASSERT_TRUE(result.ok()) << all(result.problems);
  EXPECT_EQ(result.config->tenants.size(), 3u);
}

TEST_F(TokenRulesTest, LegacyProviderKeyIsOffUnlessTheTenantSetsIt) {
  write_main();
  write("tenants/a.yaml", "id: a\nactivation_token: \"0123456789abcdef0123456789abcdef\"\n");
  write("tenants/b.yaml",
        "id: b\nactivation_token: \"fedcba9876543210fedcba9876543210\"\n"
        "legacy_provider_key: true\n");
  const LoadResult result = load();
  ASSERT_TRUE(result.ok()) << all(result.problems);
  EXPECT_FALSE(result.config->tenants[0].legacy_provider_key);
  EXPECT_TRUE(result.config->tenants[1].legacy_provider_key);
}

TEST_F(TokenRulesTest, LegacyProviderKeyMustBeABoolean) {
  write_main();
  write("tenants/a.yaml",
        "id: a\nactivation_token: \"0123456789abcdef0123456789abcdef\"\n"
        "legacy_provider_key: maybe\n");
  const LoadResult result = load();
  EXPECT_PROBLEM_AT(result.problems, "legacy_provider_key: expected true or false, got 'maybe'", 3,
                    22);
}

}  // namespace
}  // namespace ttb::config::testing
