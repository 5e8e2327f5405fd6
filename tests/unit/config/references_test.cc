// ${env:NAME} and ${file:PATH}: where they are resolved, relative paths, and each failure with
// the reference's own line and column (never the value).
#include "config_fixture.h"

namespace ttb::config::testing {
namespace {

using ReferencesTest = ConfigTest;

// A main config with the given teamtailor lines (after "teamtailor:" on line 3).
std::string main_with(const std::filesystem::path& dir, const std::string& teamtailor_body) {
  return "server:\n  public_url: \"https://tt.example.com\"\n"
         "teamtailor:\n" +
         teamtailor_body + "plugins: { dir: \"" + (dir / "plugins").string() +
         "\" }\n"
         "tenants: { dir: \"" +
         (dir / "tenants").string() + "\" }\n";
}

TEST_F(ReferencesTest, ResolvesFileRelativeToTheYamlFilesFolderAndTrimsWhitespace) {
  write("secrets/tt.key", "  file-api-key \n");
  write("ttbridged.yaml", main_with(dir_,
                                    "  api_key: \"${file:secrets/tt.key}\"\n"
                                    "  webhook_secret: \"${file:" +
                                        (dir_ / "secrets/tt.key").string() + "}\"\n"));
  const LoadResult result = load();
  ASSERT_TRUE(result.ok()) << all(result.problems);
  EXPECT_EQ(result.config->main.teamtailor.api_key.reveal(), "file-api-key");
  EXPECT_EQ(result.config->main.teamtailor.webhook_secret.reveal(), "file-api-key");
}

TEST_F(ReferencesTest, LosesOnlyWhitespaceAroundFileContents) {
  write("tt.key", "line one\nline two\n\n");
  write("ttbridged.yaml", main_with(dir_, "  api_key: ${file:tt.key}\n  webhook_secret: b\n"));
  const LoadResult result = load();
  ASSERT_TRUE(result.ok()) << all(result.problems);
  EXPECT_EQ(result.config->main.teamtailor.api_key.reveal(), "line one\nline two");
}

TEST_F(ReferencesTest, ResolvesReferencesEmbeddedInAString) {
  env_["HOST"] = "tt.internal";
  env_["PORT"] = "8443";
  write("ttbridged.yaml",
        "server:\n  public_url: \"https://${env:HOST}:${env:PORT}/ttb\"\n"
        "teamtailor:\n  api_key: \"k-${env:TT_KEY}-$${literal}\"\n  webhook_secret: b\n"
        "plugins: { dir: p }\n"
        "tenants: { dir: \"" +
            (dir_ / "tenants").string() + "\" }\n");
  const LoadResult result = load();
  ASSERT_TRUE(result.ok()) << all(result.problems);
  EXPECT_EQ(result.config->main.server.public_url, "https://tt.internal:8443/ttb");
  EXPECT_EQ(result.config->main.teamtailor.api_key.reveal(), "k-tt-api-key-value-1-${literal}");
}

TEST_F(ReferencesTest, ResolvesReferencesInsideNestedProviderConfig) {
  write_main();
  add_plugin("checkr");
  env_["ACME_CHECKR_KEY"] = "ck_live_123";
  write("tenants/acme.token", "tok-acme-0123456789abcdefghij\n");
  write("tenants/hook.secret", "whsec\n");
  write("tenants/acme.yaml",
        "id: acme\n"
        "activation_token: \"${file:acme.token}\"\n"
        "providers:\n"
        "  - name: checkr\n"
        "    plugin: checkr\n"
        "    config:\n"
        "      api_key: \"${env:ACME_CHECKR_KEY}\"\n"
        "      base_url: https://api.checkr-staging.com/v1\n"
        "      webhooks: { secrets: [\"${file:hook.secret}\", plain] }\n"
        "      retries: 3\n"
        "      ratio: 0.5\n"
        "      verbose: true\n"
        "      quoted_number: \"7\"\n"
        "      nothing: ~\n");
  const LoadResult result = load();
  ASSERT_TRUE(result.ok()) << all(result.problems);
  ASSERT_EQ(result.config->tenants.size(), 1u);
  const TenantSettings& acme = result.config->tenants[0];
  EXPECT_EQ(acme.activation_token.reveal(), "tok-acme-0123456789abcdefghij");
  ASSERT_EQ(acme.providers.size(), 1u);
  const nlohmann::json expected = {
      {"api_key", "ck_live_123"},
      {"base_url", "https://api.checkr-staging.com/v1"},
      {"webhooks", {{"secrets", {"whsec", "plain"}}}},
      {"retries", 3},
      {"ratio", 0.5},
      {"verbose", true},
      {"quoted_number", "7"},
      {"nothing", nullptr},
  };
  EXPECT_EQ(acme.providers[0].config, expected);
}

TEST_F(ReferencesTest, MissingEnvNamesFileLineColumnAndReference) {
  write("ttbridged.yaml", main_with(dir_,
                                    "  api_key: \"${env:NOPE_KEY}\"\n"
                                    "  webhook_secret: \"whsec-${env:NOPE_SECRET}\"\n"));
  const LoadResult result = load();
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(result.problems.size(), 2u) << all(result.problems);
  EXPECT_EQ(result.problems[0].to_string(),
            (dir_ / "ttbridged.yaml").string() +
                ":4:13: teamtailor.api_key: ${env:NOPE_KEY} is not set; export NOPE_KEY before "
                "starting (for the service: in its EnvironmentFile)");
  EXPECT_PROBLEM_AT(result.problems, "${env:NOPE_SECRET} is not set", 5, 26);
}

TEST_F(ReferencesTest, ReportsEachBadReferenceInOneValueAtItsOwnColumn) {
  write("ttbridged.yaml", main_with(dir_,
                                    "  api_key: \"${env:A1}${env:A2}-${vault:x}\"\n"
                                    "  webhook_secret: b\n"));
  const LoadResult result = load();
  ASSERT_EQ(result.problems.size(), 3u) << all(result.problems);
  EXPECT_PROBLEM_AT(result.problems, "${env:A1} is not set", 4, 13);
  EXPECT_PROBLEM_AT(result.problems, "${env:A2} is not set", 4, 22);
  EXPECT_PROBLEM_AT(result.problems,
                    "teamtailor.api_key: unknown reference kind 'vault' in ${vault:x}; use "
                    "${env:NAME} or ${file:PATH}",
                    4, 32);
}

TEST_F(ReferencesTest, ReportsEmptyEnvironmentVariable) {
  env_["EMPTY"] = "";
  write("ttbridged.yaml", main_with(dir_, "  api_key: ${env:EMPTY}\n  webhook_secret: b\n"));
  const LoadResult result = load();
  ASSERT_EQ(result.problems.size(), 1u) << all(result.problems);
  EXPECT_PROBLEM_AT(result.problems,
                    "teamtailor.api_key: ${env:EMPTY} is set but empty; give EMPTY a value", 4, 12);
}

TEST_F(ReferencesTest, ReportsUnreadableAndEmptyFiles) {
  write("empty.key", " \n\n");
  write("ttbridged.yaml", main_with(dir_,
                                    "  api_key: \"${file:missing.key}\"\n"
                                    "  webhook_secret: \"${file:empty.key}\"\n"));
  const LoadResult result = load();
  ASSERT_EQ(result.problems.size(), 2u) << all(result.problems);
  EXPECT_PROBLEM_AT(result.problems,
                    "teamtailor.api_key: ${file:missing.key}: cannot read " +
                        (dir_ / "missing.key").string() +
                        " (No such file or directory); create the file or fix the path",
                    4, 13);
  EXPECT_PROBLEM_AT(result.problems,
                    "teamtailor.webhook_secret: ${file:empty.key}: " +
                        (dir_ / "empty.key").string() + " is empty; write the secret into it",
                    5, 20);
}

TEST_F(ReferencesTest, ReportsADirectoryGivenAsAFile) {
  write("ttbridged.yaml", main_with(dir_, "  api_key: \"${file:tenants}\"\n  webhook_secret: b\n"));
  const LoadResult result = load();
  ASSERT_EQ(result.problems.size(), 1u) << all(result.problems);
  EXPECT_PROBLEM_AT(result.problems, "is a directory; point it at the file holding the secret", 4,
                    13);
}

TEST_F(ReferencesTest, ReportsUnterminatedAndMalformedReferences) {
  write("ttbridged.yaml", main_with(dir_,
                                    "  api_key: \"abc${env:X\"\n"
                                    "  webhook_secret: \"${env:1BAD}\"\n"));
  const LoadResult result = load();
  ASSERT_EQ(result.problems.size(), 2u) << all(result.problems);
  EXPECT_PROBLEM_AT(result.problems,
                    "teamtailor.api_key: '${' starts a reference that is never "
                    "closed; write ${env:NAME} or ${file:PATH}, or $${ for a "
                    "literal '${'",
                    4, 16);
  EXPECT_PROBLEM_AT(result.problems, "${env:1BAD} does not name an environment variable", 5, 20);
}

TEST_F(ReferencesTest, ReportsMissingReferenceInsideProviderConfigAtItsPosition) {
  write_main();
  add_plugin("checkr");
  write("tenants/acme.yaml",
        "id: acme\n"
        "activation_token: tok-0123456789abcdefghij\n"
        "providers:\n"
        "  - name: checkr\n"
        "    plugin: checkr\n"
        "    config:\n"
        "      nested:\n"
        "        - { key: \"${env:ACME_CHECKR_KEY}\" }\n");
  const LoadResult result = load();
  ASSERT_EQ(result.problems.size(), 1u) << all(result.problems);
  EXPECT_PROBLEM_AT(result.problems,
                    "providers[0].config.nested[0].key: ${env:ACME_CHECKR_KEY} is not set", 8, 19);
  EXPECT_EQ(result.problems[0].where.file, (dir_ / "tenants/acme.yaml").string());
}

TEST_F(ReferencesTest, ReadsTheProcessEnvironmentByDefault) {
  ::setenv("TTB_CONFIG_TEST_VAR", "from-process", 1);
  EXPECT_EQ(process_environment()("TTB_CONFIG_TEST_VAR"),
            std::optional<std::string>("from-process"));
  ::unsetenv("TTB_CONFIG_TEST_VAR");
  EXPECT_EQ(process_environment()("TTB_CONFIG_TEST_VAR"), std::nullopt);
}

}  // namespace
}  // namespace ttb::config::testing
