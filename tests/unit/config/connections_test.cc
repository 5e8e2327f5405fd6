// teamtailor.connections in the main config and a tenant's teamtailor_connection
// (docs/configuration.md, "Several Teamtailor connections").

#include "config_fixture.h"

namespace ttb::config::testing {
namespace {

using ConnectionsTest = ConfigTest;

constexpr const char* kToken = "0123456789abcdef0123456789abcdef";

std::string with_connections(const std::string& connections) {
  return "teamtailor:\n"
         "  api_key: \"${env:TT_KEY}\"\n"
         "  webhook_secret: \"${env:TT_SECRET}\"\n"
         "  connections:\n" +
         connections;
}

TEST_F(ConnectionsTest, ReadsNamedConnectionsBesideTheDefault) {
  env_["NA_KEY"] = "na-api-key";
  env_["NA_SECRET"] = "na-webhook-secret";
  write_main(
      with_connections("    na:\n"
                       "      api_url: \"https://api.na.teamtailor.com/partner/v1/\"\n"
                       "      api_key: \"${env:NA_KEY}\"\n"
                       "      webhook_secret: \"${env:NA_SECRET}\"\n"));
  write("tenants/a.yaml",
        std::string("id: a\nactivation_token: \"") + kToken + "\"\nteamtailor_connection: na\n");
  write("tenants/b.yaml", "id: b\nactivation_token: \"fedcba9876543210fedcba9876543210\"\n");
  const LoadResult result = load();
  ASSERT_TRUE(result.ok()) << all(result.problems);
  const TeamtailorSettings& tt = result.config->main.teamtailor;
  ASSERT_EQ(tt.connections.size(), 1u);
  const auto na = tt.connection("na");
  ASSERT_TRUE(na.has_value());
  EXPECT_EQ(na->api_url, "https://api.na.teamtailor.com/partner/v1");
  EXPECT_EQ(na->api_key.reveal(), "na-api-key");
  EXPECT_EQ(na->webhook_secret.reveal(), "na-webhook-secret");
  const auto fallback = tt.connection("");
  ASSERT_TRUE(fallback.has_value());
  EXPECT_EQ(fallback->name, "default");
  EXPECT_EQ(fallback->api_key.reveal(), "tt-api-key-value-1");
  EXPECT_EQ(tt.all_connections().size(), 2u);
  EXPECT_EQ(result.config->tenants[0].teamtailor_connection, "na");
  EXPECT_EQ(result.config->tenants[1].teamtailor_connection, "");
}

// A connection with a problem of its own is reported once, there: its tenants are not told that
// it does not exist. Named again, it is reported as repeated.
TEST_F(ConnectionsTest, AConnectionWithAProblemIsReportedOnceNotAsUnknownToItsTenants) {
  env_["NA_KEY"] = "na-api-key";
  write_main(
      with_connections("    na:\n"
                       "      api_url: \"https://api.na.teamtailor.com/partner/v1\"\n"
                       "      api_key: \"${env:NA_KEY}\"\n"
                       "    na:\n"
                       "      api_url: \"https://api.na.teamtailor.com/partner/v1\"\n"));
  write("tenants/a.yaml",
        std::string("id: a\nactivation_token: \"") + kToken + "\"\nteamtailor_connection: na\n");
  const LoadResult result = load();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(all(result.problems).find("is not a connection"), std::string::npos)
      << all(result.problems);
  ASSERT_EQ(result.problems.size(), 2u) << all(result.problems);
  EXPECT_NE(result.problems[0].message.find("webhook_secret"), std::string::npos)
      << all(result.problems);
  EXPECT_NE(result.problems[1].message.find("connection 'na' in teamtailor.connections is "
                                            "repeated"),
            std::string::npos)
      << all(result.problems);
}

TEST_F(ConnectionsTest, RefusesATenantNamingAnUnknownConnection) {
  write_main();
  write("tenants/a.yaml",
        std::string("id: a\nactivation_token: \"") + kToken + "\"\nteamtailor_connection: apac\n");
  const LoadResult result = load();
  ASSERT_FALSE(result.ok());
  EXPECT_PROBLEM_AT(result.problems, "teamtailor_connection 'apac' is not a connection", 3, 24);
  EXPECT_NE(all(result.problems).find("use one of: default"), std::string::npos)
      << all(result.problems);
}

TEST_F(ConnectionsTest, RefusesAConnectionWithoutItsWebhookSecret) {
  write_main(
      with_connections("    na:\n"
                       "      api_url: \"https://api.na.teamtailor.com/partner/v1\"\n"
                       "      api_key: \"${env:TT_KEY}\"\n"));
  const LoadResult result = load();
  ASSERT_FALSE(result.ok());
  EXPECT_PROBLEM_AT(result.problems,
                    "missing required key 'webhook_secret' in teamtailor.connections.na", 7, 5);
}

TEST_F(ConnectionsTest, RefusesABadNameAndTheReservedDefault) {
  write_main(
      with_connections("    default:\n"
                       "      api_url: \"https://api.teamtailor.com/partner/v1\"\n"
                       "      api_key: \"${env:TT_KEY}\"\n"
                       "      webhook_secret: \"${env:TT_SECRET}\"\n"
                       "    Bad Name:\n"
                       "      api_url: \"ftp://x\"\n"
                       "      api_key: \"${env:TT_KEY}\"\n"
                       "      webhook_secret: \"${env:TT_SECRET}\"\n"));
  const LoadResult result = load();
  ASSERT_FALSE(result.ok());
  EXPECT_PROBLEM_AT(result.problems, "the name 'default' is taken", 7, 5);
  EXPECT_PROBLEM_AT(result.problems, "'Bad Name' is not a valid connection name", 11, 5);
  EXPECT_PROBLEM_AT(result.problems, "is not an http:// or https:// URL", 12, 16);
}

}  // namespace
}  // namespace ttb::config::testing
