// Tenant files: the folder scan, each field, cross-file duplicates, plugin files, and reloads
// through load_tenants.
#include <chrono>
#include <cstdio>

#include "config_fixture.h"

namespace ttb::config::testing {
namespace {

using TenantsTest = ConfigTest;

TEST_F(TenantsTest, LoadsEveryYamlFileSortedByNameAndSkipsOthers) {
  write_main();
  add_plugin("checkr");
  add_plugin("hackerrank");
  write("tenants/globex.yml", "id: globex\nactivation_token: tok-globex-0123456789abcdefghij\n");
  write("tenants/acme.yaml",
        "id: acme\n"
        "company_uuid: \"aB3dE5fG7hJ\"\n"
        "activation_token: tok-acme-0123456789abcdefghij\n"
        "providers:\n"
        "  - name: checkr\n"
        "    plugin: checkr\n"
        "    config: { base_url: \"https://api.checkr-staging.com/v1\" }\n"
        "  - name: hr-eu\n"
        "    plugin: hackerrank\n"
        "    enabled: false\n");
  write("tenants/initech.yaml",
        "id: initech\nactivation_token: tok-initech-0123456789abcdefghij\nproviders: []\n");
  write("tenants/README.md", "not a tenant");
  write("tenants/.acme.yaml.swp", "id: [broken");
  write("tenants/.hidden.yaml", "id: [broken");
  std::filesystem::create_directories(dir_ / "tenants/sub.yaml");  // a folder is not a file

  const LoadResult result = load();
  ASSERT_TRUE(result.ok()) << all(result.problems);
  const std::vector<TenantSettings>& tenants = result.config->tenants;
  ASSERT_EQ(tenants.size(), 3u);
  EXPECT_EQ(tenants[0].id, "acme");
  EXPECT_EQ(tenants[1].id, "globex");
  EXPECT_EQ(tenants[2].id, "initech");
  EXPECT_EQ(tenants[0].file, dir_ / "tenants/acme.yaml");
  EXPECT_EQ(tenants[0].company_uuid, std::optional<std::string>("aB3dE5fG7hJ"));
  EXPECT_EQ(tenants[1].company_uuid, std::nullopt);
  EXPECT_EQ(tenants[0].activation_token.reveal(), "tok-acme-0123456789abcdefghij");
  ASSERT_EQ(tenants[0].providers.size(), 2u);
  const ProviderSettings& checkr = tenants[0].providers[0];
  EXPECT_EQ(checkr.name, "checkr");
  EXPECT_EQ(checkr.plugin, "checkr");
  EXPECT_EQ(checkr.plugin_path, dir_ / "plugins/checkr.so");
  EXPECT_TRUE(checkr.enabled);
  EXPECT_EQ(checkr.config, (nlohmann::json{{"base_url", "https://api.checkr-staging.com/v1"}}));
  EXPECT_EQ(checkr.where.line, 5);
  EXPECT_EQ(checkr.where.file, (dir_ / "tenants/acme.yaml").string());
  const ProviderSettings& hr = tenants[0].providers[1];
  EXPECT_EQ(hr.name, "hr-eu");
  EXPECT_EQ(hr.plugin_path, dir_ / "plugins/hackerrank.so");
  EXPECT_FALSE(hr.enabled);
  EXPECT_EQ(hr.config, nlohmann::json::object());
  EXPECT_TRUE(tenants[2].providers.empty());
}

TEST_F(TenantsTest, DuplicateTenantIdNamesBothFiles) {
  write_main();
  write("tenants/a.yaml", "id: acme\nactivation_token: tok-1-0123456789abcdefghij\n");
  write("tenants/b.yaml",
        "# copy of a\nid:   acme\nactivation_token: tok-2-0123456789abcdefghij\n");
  const LoadResult result = load();
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(result.problems.size(), 1u) << all(result.problems);
  EXPECT_EQ(result.problems[0].to_string(),
            (dir_ / "tenants/b.yaml").string() + ":2:7: tenant id 'acme' is already used by " +
                (dir_ / "tenants/a.yaml").string() + " (" + (dir_ / "tenants/a.yaml").string() +
                ":1:5); each tenant needs its own id");
}

TEST_F(TenantsTest, DuplicateActivationTokenNamesBothFilesButNotTheToken) {
  write_main();
  write("tenants/shared.token", "the-shared-token-0123456789abcdefghij\n");
  write("tenants/a.yaml", "id: a\nactivation_token: the-shared-token-0123456789abcdefghij\n");
  write("tenants/b.yaml", "id: b\nactivation_token: \"${file:shared.token}\"\n");
  const LoadResult result = load();
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(result.problems.size(), 1u) << all(result.problems);
  const Problem& p = result.problems[0];
  EXPECT_EQ(p.where.file, (dir_ / "tenants/b.yaml").string());
  EXPECT_EQ(p.where.line, 2);
  EXPECT_EQ(p.where.column, 19);
  EXPECT_NE(p.message.find("tenant 'a' in " + (dir_ / "tenants/a.yaml").string()),
            std::string::npos)
      << p.message;
  EXPECT_EQ(p.to_string().find("the-shared-token-0123456789abcdefghij"), std::string::npos)
      << p.to_string();
}

// A file refused for its id still counts for the files after it: one that repeats its token is
// told about that file, and no later file is named in its place.
TEST_F(TenantsTest, AFileRepeatingTheTokenOfARefusedFileNamesThatFile) {
  write_main();
  write("tenants/a.yaml", "id: acme\nactivation_token: tok-1-0123456789abcdefghij\n");
  write("tenants/b.yaml", "id: acme\nactivation_token: tok-2-0123456789abcdefghij\n");
  write("tenants/c.yaml", "id: globex\nactivation_token: tok-3-0123456789abcdefghij\n");
  write("tenants/d.yaml", "id: initech\nactivation_token: tok-2-0123456789abcdefghij\n");
  const LoadResult result = load();
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(result.problems.size(), 2u) << all(result.problems);
  EXPECT_EQ(result.problems[0].where.file, (dir_ / "tenants/b.yaml").string());
  const Problem& token = result.problems[1];
  EXPECT_EQ(token.where.file, (dir_ / "tenants/d.yaml").string());
  EXPECT_NE(token.message.find("tenant 'acme' in " + (dir_ / "tenants/b.yaml").string() + " (" +
                               (dir_ / "tenants/b.yaml").string() + ":2:19)"),
            std::string::npos)
      << token.message;
}

// A tenant file that cannot be read is reported, never passed over: a link that leads nowhere
// would otherwise make its tenant vanish at a reload. A link to a sub-folder is passed over as
// the sub-folder is.
TEST_F(TenantsTest, ALinkThatLeadsNowhereIsReportedNotSkipped) {
  write_main();
  write("tenants/acme.yaml", "id: acme\nactivation_token: tok-1-0123456789abcdefghij\n");
  std::filesystem::create_symlink(dir_ / "elsewhere/globex.yaml", dir_ / "tenants/globex.yaml");
  std::filesystem::create_directories(dir_ / "archive");
  std::filesystem::create_directory_symlink(dir_ / "archive", dir_ / "tenants/old.yaml");
  const LoadResult result = load();
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(result.problems.size(), 1u) << all(result.problems);
  EXPECT_EQ(result.problems[0].where.file, (dir_ / "tenants/globex.yaml").string());
  EXPECT_EQ(result.problems[0].message,
            "cannot read the tenant file (No such file or directory); fix the file, the link to it "
            "or its permissions, or remove it");
}

TEST_F(TenantsTest, DuplicateProviderNameInATenant) {
  write_main();
  add_plugin("checkr");
  write("tenants/acme.yaml",
        "id: acme\n"
        "activation_token: tok-0123456789abcdefghij\n"
        "providers:\n"
        "  - name: checkr\n"
        "    plugin: checkr\n"
        "  - plugin: checkr\n"
        "    name: checkr\n");
  const LoadResult result = load();
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(result.problems.size(), 1u) << all(result.problems);
  EXPECT_PROBLEM_AT(result.problems,
                    "provider name 'checkr' is already used at line 4; each provider of a tenant "
                    "needs its own name",
                    7, 11);
}

TEST_F(TenantsTest, ReportsInvalidNames) {
  write_main();
  write("tenants/acme.yaml",
        "id: Acme Corp\n"
        "activation_token: tok-0123456789abcdefghij\n"
        "providers:\n"
        "  - name: -checkr\n"
        "    plugin: ../../tmp/evil\n");
  const LoadResult result = load();
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(result.problems.size(), 3u) << all(result.problems);
  EXPECT_PROBLEM_AT(result.problems,
                    "id 'Acme Corp' is not a valid tenant id; use 1 to 63 characters of a-z, 0-9, "
                    "'_' and '-', starting with a letter or digit",
                    1, 5);
  EXPECT_PROBLEM_AT(result.problems, "providers[0].name '-checkr' is not a valid provider name", 4,
                    11);
  EXPECT_PROBLEM_AT(result.problems,
                    "providers[0].plugin '../../tmp/evil' is not a valid plugin name", 5, 13);
}

TEST_F(TenantsTest, ReportsMissingPluginFileUnlessTheProviderIsDisabled) {
  write_main();
  write("tenants/acme.yaml",
        "id: acme\n"
        "activation_token: tok-0123456789abcdefghij\n"
        "providers:\n"
        "  - name: checkr\n"
        "    plugin: checkr\n"
        "  - name: later\n"
        "    plugin: codility\n"
        "    enabled: false\n");
  const LoadResult result = load();
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(result.problems.size(), 1u) << all(result.problems);
  EXPECT_PROBLEM_AT(result.problems,
                    "providers[0].plugin: plugin file " + (dir_ / "plugins/checkr.so").string() +
                        " does not exist; build or install the plugin, fix plugins.dir in the "
                        "main config, or set enabled: false",
                    5, 13);
}

TEST_F(TenantsTest, ReportsUnknownKeysMissingKeysAndWrongTypes) {
  write_main();
  write("tenants/acme.yaml",
        "id: acme\n"
        "retries: { max_attempts: 3 }\n"
        "providers:\n"
        "  - name: checkr\n"
        "    plugn: checkr\n"
        "    enabled: sometimes\n"
        "    config: [a, b]\n"
        "  - just-a-string\n"
        "  -\n");
  const LoadResult result = load();
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.problems.size(), 8u) << all(result.problems);
  EXPECT_PROBLEM_AT(result.problems,
                    "unknown key 'retries' at the top level; allowed keys: "
                    "id, company_uuid, activation_token, teamtailor_connection, "
                    "legacy_provider_key, providers, retry",
                    2, 1);
  EXPECT_PROBLEM_AT(result.problems, "missing required key 'activation_token' at the top level", 1,
                    1);
  EXPECT_PROBLEM_AT(result.problems, "unknown key 'plugn' in providers[0] (did you mean 'plugin'?)",
                    5, 5);
  EXPECT_PROBLEM_AT(result.problems, "missing required key 'plugin' in providers[0]", 4, 5);
  EXPECT_PROBLEM_AT(result.problems,
                    "providers[0].enabled: expected true or false, got 'sometimes'", 6, 14);
  EXPECT_PROBLEM_AT(result.problems,
                    "providers[0].config: expected a map of the plugin's settings, got a list", 7,
                    13);
  EXPECT_PROBLEM_AT(result.problems,
                    "providers[1]: expected a map with the keys name, plugin, config, enabled, "
                    "isolation, isolation_group, got a single value",
                    8, 5);
  EXPECT_PROBLEM_AT(result.problems,
                    "providers[2] is empty; a provider needs at least name and plugin", 9, 3);
}

TEST_F(TenantsTest, ReportsProvidersThatAreNotAList) {
  write_main();
  write("tenants/acme.yaml",
        "id: acme\nactivation_token: tok-0123456789abcdefghij\nproviders: { name: x }\n");
  const LoadResult result = load();
  ASSERT_EQ(result.problems.size(), 1u) << all(result.problems);
  EXPECT_PROBLEM_AT(result.problems, "providers: expected a list of providers", 3, 12);
}

TEST_F(TenantsTest, ReportsEmptyTenantFileAndEmptyCompanyUuid) {
  write_main();
  write("tenants/a.yaml", "");
  write("tenants/b.yaml",
        "id: b\ncompany_uuid: \"\"\nactivation_token: tok-0123456789abcdefghij\n");
  const LoadResult result = load();
  ASSERT_EQ(result.problems.size(), 2u) << all(result.problems);
  EXPECT_EQ(result.problems[0].to_string(),
            (dir_ / "tenants/a.yaml").string() +
                ":1:1: the tenant file is empty; write at least id and activation_token (see "
                "docs/configuration.md), or remove the file");
  EXPECT_PROBLEM_AT(result.problems, "company_uuid is empty", 2, 15);
}

TEST_F(TenantsTest, ReportsYamlSyntaxErrorInATenantFile) {
  write_main();
  write("tenants/a.yaml",
        "id: a\nactivation_token: tok-0123456789abcdefghij\nproviders:\n  - { name: x, \n");
  const LoadResult result = load();
  ASSERT_EQ(result.problems.size(), 1u) << all(result.problems);
  EXPECT_EQ(result.problems[0].where.file, (dir_ / "tenants/a.yaml").string());
  EXPECT_NE(result.problems[0].message.find("YAML syntax error"), std::string::npos);
  EXPECT_GE(result.problems[0].where.line, 4);
}

TEST_F(TenantsTest, LoadTenantsWithABrokenFileReturnsProblemsAndNoTenants) {
  add_plugin("checkr");
  write("tenants/a.yaml", "id: a\nactivation_token: tok-a-0123456789abcdefghij\n");
  write("tenants/b.yaml",
        "id: b\nactivation_token: tok-b-0123456789abcdefghij\nproviders: [{ name: c, plugin: "
        "checkr }]\n");
  TenantsResult good = load_tenants(main_settings(), env());
  ASSERT_TRUE(good.ok()) << all(good.problems);
  ASSERT_EQ(good.tenants->size(), 2u);
  EXPECT_EQ((*good.tenants)[1].providers.at(0).plugin_path, dir_ / "plugins/checkr.so");

  write("tenants/c.yaml", "id: c\nactivation_token: \"${env:C_TOKEN}\"\n");
  TenantsResult broken = load_tenants(main_settings(), env());
  EXPECT_FALSE(broken.ok());
  EXPECT_FALSE(broken.tenants.has_value());
  ASSERT_EQ(broken.problems.size(), 1u) << all(broken.problems);
  EXPECT_PROBLEM_AT(broken.problems, "${env:C_TOKEN} is not set", 2, 20);

  env_["C_TOKEN"] = "tok-c-0123456789abcdefghij";
  TenantsResult fixed = load_tenants(main_settings(), env());
  ASSERT_TRUE(fixed.ok()) << all(fixed.problems);
  EXPECT_EQ(fixed.tenants->size(), 3u);
}

TEST_F(TenantsTest, LoadTenantsReportsAMissingTenantsDir) {
  MainSettings main = main_settings();
  main.tenants_dir = dir_ / "gone";
  main.tenants_dir_at = SourceRef{"ttbridged.yaml", 9, 8};
  const TenantsResult result = load_tenants(main, env());
  EXPECT_FALSE(result.tenants.has_value());
  ASSERT_EQ(result.problems.size(), 1u);
  EXPECT_EQ(result.problems[0].where.line, 9);
  EXPECT_EQ(result.problems[0].where.column, 8);
  EXPECT_NE(result.problems[0].message.find("tenants.dir " + (dir_ / "gone").string() +
                                            " is not a directory"),
            std::string::npos);
}

TEST_F(TenantsTest, EmptyTenantsDirLoadsNoTenants) {
  const TenantsResult result = load_tenants(main_settings(), env());
  ASSERT_TRUE(result.ok()) << all(result.problems);
  EXPECT_TRUE(result.tenants->empty());
}

// Not a speed assert: prints how long 1,000 tenant files take, for the start-up budget (500 ms).
TEST_F(TenantsTest, LoadsAThousandTenantFiles) {
  add_plugin("checkr");
  add_plugin("hackerrank");
  for (int i = 0; i < 1000; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "t%04d", i);
    const std::string name(id);
    write("tenants/" + name + ".token", "token-" + name + "-0123456789abcdef\n");
    write("tenants/" + name + ".yaml",
          "id: " + name +
              "\n"
              "company_uuid: \"uuid-" +
              name +
              "\"\n"
              "activation_token: \"${file:" +
              name +
              ".token}\"\n"
              "providers:\n"
              "  - name: checkr\n"
              "    plugin: checkr\n"
              "    config: { api_key: \"${env:TT_KEY}\", base_url: \"https://api.checkr.com/v1\", "
              "package: basic }\n"
              "  - name: hackerrank\n"
              "    plugin: hackerrank\n"
              "    config: { api_key: \"k-" +
              name + "\", tests: [1, 2, 3] }\n");
  }
  const auto start = std::chrono::steady_clock::now();
  const TenantsResult result = load_tenants(main_settings(), env());
  const auto elapsed =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start);
  ASSERT_TRUE(result.ok()) << all(result.problems);
  EXPECT_EQ(result.tenants->size(), 1000u);
  EXPECT_EQ(result.tenants->back().id, "t0999");
  std::printf("[ info     ] loaded 1000 tenant files in %.1f ms\n", elapsed.count());
  RecordProperty("load_1000_tenants_ms", static_cast<int>(elapsed.count()));
}

}  // namespace
}  // namespace ttb::config::testing
