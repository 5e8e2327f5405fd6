// Secrets stay secret: not printable, never in a Problem, compared in constant time.
#include <sstream>

#include <fmt/format.h>

#include "config_fixture.h"

namespace ttb::config::testing {
namespace {

TEST(SecretTest, PrintsRedactedThroughStreamsAndFmt) {
  const Secret secret("sk_live_very_secret");
  std::ostringstream out;
  out << secret;
  EXPECT_EQ(out.str(), "<redacted>");
  EXPECT_EQ(fmt::format("{}", secret), "<redacted>");
  EXPECT_EQ(fmt::format("key={:>12}", secret), "key=  <redacted>");
  EXPECT_EQ(secret.reveal(), "sk_live_very_secret");
  EXPECT_FALSE(secret.empty());
  EXPECT_TRUE(Secret().empty());
}

TEST(SecretTest, ComparesByValue) {
  EXPECT_TRUE(Secret("abc").equals("abc"));
  EXPECT_FALSE(Secret("abc").equals("abd"));
  EXPECT_FALSE(Secret("abc").equals("abcd"));
  EXPECT_FALSE(Secret("abc").equals(""));
  EXPECT_TRUE(Secret("x") == Secret("x"));
  EXPECT_FALSE(Secret("x") == Secret("y"));
}

using SecretLeakTest = ConfigTest;

TEST_F(SecretLeakTest, ResolvedSecretsNeverAppearInProblems) {
  env_["CHECKR_KEY"] = "ck_live_SECRETVALUE_A";
  write("tenants/a.token", "TOKEN_SECRET_SHARED_0123456789\n");
  add_plugin("checkr");
  // Main file: valid secrets plus unrelated errors next to them.
  write("ttbridged.yaml",
        "server: { public_url: \"https://x\", threads: 0 }\n"
        "teamtailor: { api_key: \"${env:TT_KEY}\", webhook_secret: \"${env:TT_SECRET}\", "
        "signature_tolerance_s: -1 }\n"
        "plugins: { dir: \"" +
            (dir_ / "plugins").string() +
            "\" }\n"
            "tenants: { dir: \"" +
            (dir_ / "tenants").string() + "\" }\n");
  // Two tenants sharing one token, one with a secret in a broken provider.
  write("tenants/a.yaml", "id: a\nactivation_token: \"${file:a.token}\"\n");
  write("tenants/b.yaml",
        "id: b\n"
        "activation_token: \"${file:a.token}\"\n");
  write("tenants/c.yaml",
        "id: c\n"
        "activation_token: \"c-${env:CHECKR_KEY}\"\n"
        "providers:\n"
        "  - name: checkr\n"
        "    plugin: checkr\n"
        "    enabled: \"${env:CHECKR_KEY}\"\n"
        "    config: { api_key: \"${env:CHECKR_KEY}\", bad: \"${env:MISSING}\" }\n");
  const LoadResult result = load();
  ASSERT_FALSE(result.ok());
  EXPECT_GE(result.problems.size(), 5u) << all(result.problems);
  const std::string text = all(result.problems);
  // enabled: is no secret field, but its bad value came from a variable that holds one.
  for (const std::string secret : {"tt-api-key-value-1", "tt-webhook-secret-value-2",
                                   "TOKEN_SECRET_SHARED_0123456789", "SECRETVALUE"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret << " leaked in:\n" << text;
  }
  EXPECT_NE(text.find("activation_token is the same as the one of tenant 'a'"), std::string::npos)
      << text;
  EXPECT_NE(text.find("providers[0].enabled: expected true or false, got '${env:CHECKR_KEY}'"),
            std::string::npos)
      << text;
}

TEST_F(SecretLeakTest, StreamingAConfigNeverShowsSecrets) {
  write_main();
  const LoadResult result = load();
  ASSERT_TRUE(result.ok()) << all(result.problems);
  std::ostringstream out;
  out << result.config->main.teamtailor.api_key << " "
      << result.config->main.teamtailor.webhook_secret;
  EXPECT_EQ(out.str(), "<redacted> <redacted>");
}

}  // namespace
}  // namespace ttb::config::testing
