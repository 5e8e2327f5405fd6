// The operator's setup commands as an operator runs them: `ttbridge tenants new` writing a tenant
// the daemon's config check accepts, and `ttbridge teamtailor setup|check|activations` against the
// Teamtailor fake (docs/cli.md).

#include <sys/stat.h>

#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include "engine_fixture.h"

namespace ttb {
namespace {

using testing::Engine;
using testing::EngineOptions;
using testing::tenant_yaml;

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

unsigned mode_of(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return st.st_mode & 07777;
}

class CliSetup : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    EngineOptions options;
    options.tenants = {{"acme.yaml", tenant_yaml("acme", "acme-setup-token-0123456789", "",
                                                 std::string("aB3dE5fG7hJ"))},
                       {"beta.yaml", tenant_yaml("beta", "beta-setup-token-0123456789", "",
                                                 std::string("bB3dE5fG7hJ"))}};
    engine_ = new Engine(options);
    ASSERT_TRUE(engine_->start()) << engine_->log();
    engine_->teamtailor().add_activation({"aB3dE5fG7hJ", "Acme"});
    engine_->teamtailor().add_activation({"zZ9yY8xX7wV", "Zeta Corp"});
  }
  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
  }

  std::pair<std::string, int> cli(
      std::vector<std::string> args,
      const std::vector<std::pair<std::string, std::string>>& env = {}) {
    args.emplace_back("--config");
    args.push_back(engine_->config_path().string());
    return engine_->cli(args, env);
  }
  int config_check() { return cli({"config", "check"}).second; }

  static Engine* engine_;
};
Engine* CliSetup::engine_ = nullptr;

TEST_F(CliSetup, TenantsNewWritesATenantWithA256BitTokenThatConfigCheckAccepts) {
  auto [out, code] = cli({"tenants", "new", "gamma", "--provider", "testvendor", "--provider",
                          "tv-eu=testvendor", "--company-uuid", "gG3dE5fG7hJ"});
  ASSERT_EQ(code, 0) << out;
  const std::filesystem::path file = engine_->dir() / "tenants/gamma.yaml";
  ASSERT_TRUE(std::filesystem::exists(file)) << out;
  EXPECT_EQ(mode_of(file), 0600u) << "the file holds the token";

  std::smatch token;
  ASSERT_TRUE(std::regex_search(out, token, std::regex("\n([0-9a-f]{64})\n"))) << out;
  EXPECT_EQ(token[1].str().size() * 4, 256u) << "64 hex digits: 256 bits";
  const std::string yaml = read_file(file);
  EXPECT_NE(yaml.find(token[1].str()), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("plugin: testvendor"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("name: tv-eu"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("company_uuid: \"gG3dE5fG7hJ\""), std::string::npos) << yaml;

  // The providers' settings are the operator's to fill in: until then, config check refuses the
  // tenant, because the plugin's schema requires them (it prints which on stderr).
  EXPECT_EQ(config_check(), 1);
  std::string filled = yaml;
  const std::regex empty_config(R"(config: \{\}[^\n]*)");
  filled = std::regex_replace(
      filled, empty_config,
      R"(config: {base_url: "http://127.0.0.1:9/api", api_key: k, callback_secret: s})");
  ASSERT_NE(filled, yaml);
  std::ofstream(file, std::ios::binary | std::ios::trunc) << filled;
  EXPECT_EQ(config_check(), 0) << cli({"config", "check"}).first;

  auto [listed, list_code] = cli({"tenants", "list", "--json"});
  EXPECT_EQ(list_code, 0) << listed;
  EXPECT_NE(listed.find("\"gamma\""), std::string::npos) << listed;
}

TEST_F(CliSetup, TenantsNewWritesTheTokenToAFileOnlyItsOwnerMayRead) {
  auto [out, code] = cli({"tenants", "new", "delta", "--token-file", "delta.token"});
  ASSERT_EQ(code, 0) << out;
  const std::filesystem::path token_file = engine_->dir() / "delta.token";
  ASSERT_TRUE(std::filesystem::exists(token_file));
  EXPECT_EQ(mode_of(token_file), 0600u);
  const std::string token = read_file(token_file);
  ASSERT_TRUE(std::regex_match(token, std::regex("[0-9a-f]{64}\n"))) << token;
  EXPECT_EQ(out.find(token.substr(0, 64)), std::string::npos) << "never printed: " << out;
  const std::string yaml = read_file(engine_->dir() / "tenants/delta.yaml");
  EXPECT_NE(yaml.find("${file:" + token_file.string() + "}"), std::string::npos) << yaml;
  EXPECT_EQ(yaml.find(token.substr(0, 64)), std::string::npos) << yaml;
  EXPECT_EQ(config_check(), 0);
}

TEST_F(CliSetup, TenantsNewNeverOverwritesATenant) {
  const std::filesystem::path acme = engine_->dir() / "tenants/acme.yaml";
  const std::string before = read_file(acme);
  EXPECT_EQ(cli({"tenants", "new", "acme"}).second, 1);
  EXPECT_EQ(read_file(acme), before);

  ASSERT_EQ(cli({"tenants", "new", "epsilon"}).second, 0);
  const std::string first = read_file(engine_->dir() / "tenants/epsilon.yaml");
  EXPECT_EQ(cli({"tenants", "new", "epsilon"}).second, 1);
  EXPECT_EQ(read_file(engine_->dir() / "tenants/epsilon.yaml"), first);
  EXPECT_EQ(config_check(), 0);
}

TEST_F(CliSetup, TenantsNewRefusesAMissingPluginAndABadNameWithoutWritingAnything) {
  EXPECT_EQ(cli({"tenants", "new", "zeta", "--provider", "no-such-plugin"}).second, 1);
  EXPECT_FALSE(std::filesystem::exists(engine_->dir() / "tenants/zeta.yaml"));
  EXPECT_EQ(cli({"tenants", "new", "../escape"}).second, 2);
  EXPECT_FALSE(std::filesystem::exists(engine_->dir() / "escape.yaml"));
}

TEST_F(CliSetup, TeamtailorCheckSaysTheKeyIsAccepted) {
  auto [out, code] = cli({"teamtailor", "check", "--json"});
  EXPECT_EQ(code, 0) << out;
  const auto json = nlohmann::json::parse(out, nullptr, false);
  ASSERT_TRUE(json.is_object()) << out;
  ASSERT_EQ(json["connections"].size(), 1u) << out;
  EXPECT_EQ(json["connections"][0]["api_key"], "accepted") << out;
  EXPECT_EQ(json["connections"][0]["http_status"], 200) << out;
}

TEST_F(CliSetup, TeamtailorCheckSaysTheKeyIsRefused) {
  auto [out, code] =
      cli({"teamtailor", "check"}, {{"TTB_TEST_TT_API_KEY", "not-the-partner-key-9"}});
  EXPECT_EQ(code, 1) << out;
  EXPECT_NE(out.find("refused"), std::string::npos) << out;
  EXPECT_EQ(out.find("not-the-partner-key-9"), std::string::npos) << "the key is never shown";
}

TEST_F(CliSetup, TeamtailorSetupPrintsWhatTeamtailorNeeds) {
  auto [out, code] = cli({"teamtailor", "setup", "--json"});
  ASSERT_EQ(code, 0) << out;
  const auto json = nlohmann::json::parse(out, nullptr, false);
  ASSERT_TRUE(json.is_object()) << out;
  EXPECT_EQ(json["base_url"], engine_->base_url());
  EXPECT_EQ(json["webhook_url"], engine_->base_url() + "/webhook");
  EXPECT_EQ(json["validate_endpoint"], "activation/validate");
  EXPECT_EQ(json["activation"], "dynamic");
  EXPECT_TRUE(engine_->teamtailor().partner().is_null()) << "nothing is sent without --apply";
}

TEST_F(CliSetup, TeamtailorSetupApplyWritesThePartnerResource) {
  EXPECT_EQ(cli({"teamtailor", "setup", "--apply", "--partner-id", "9999"}).second, 1);
  EXPECT_EQ(cli({"teamtailor", "setup", "--apply"}).second, 2) << "--apply needs the partner id";

  auto [out, code] = cli({"teamtailor", "setup", "--apply", "--partner-id", "4242"});
  ASSERT_EQ(code, 0) << out;
  const nlohmann::json partner = engine_->teamtailor().partner();
  EXPECT_EQ(partner["base-url"], engine_->base_url()) << partner.dump();
  EXPECT_EQ(partner["dynamic-activation-config"], true) << partner.dump();
}

TEST_F(CliSetup, TeamtailorActivationsComparesTheCompaniesWithTheTenants) {
  auto [out, code] = cli({"teamtailor", "activations", "--json"});
  EXPECT_EQ(code, 1) << "Zeta activated without a tenant, beta configured but not activated";
  const auto json = nlohmann::json::parse(out, nullptr, false);
  ASSERT_TRUE(json.is_object()) << out;
  std::map<std::string, std::string> state;  // company uuid -> state
  for (const auto& row : json["activations"]) {
    if (!row["company_uuid"].get<std::string>().empty()) state[row["company_uuid"]] = row["state"];
  }
  EXPECT_EQ(state["aB3dE5fG7hJ"], "activated, configured") << out;
  EXPECT_EQ(state["zZ9yY8xX7wV"], "activated at Teamtailor, no tenant pins this company") << out;
  EXPECT_EQ(state["bB3dE5fG7hJ"], "configured, not activated at Teamtailor") << out;
}

}  // namespace
}  // namespace ttb
