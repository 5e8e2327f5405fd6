// server.report_link_key and server.report_link_previous_key (docs/configuration.md, "Report
// links"): optional secrets of at least 128 bits; the previous key only beside a current one.
#include "config_fixture.h"

namespace ttb::config::testing {
namespace {

class ReportLinkConfigTest : public ConfigTest {
 protected:
  // The lines go under `server:`, right after its public_url (line 2), so they start at line 3.
  void write_with_server_lines(const std::string& lines) {
    write_main(lines +
               "teamtailor:\n"
               "  api_key: \"${env:TT_KEY}\"\n"
               "  webhook_secret: \"${env:TT_SECRET}\"\n");
  }
};

TEST_F(ReportLinkConfigTest, IsOffByDefault) {
  write_main();
  const LoadResult result = load();
  ASSERT_TRUE(result.ok()) << all(result.problems);
  EXPECT_TRUE(result.config->main.server.report_link_key.empty());
  EXPECT_TRUE(result.config->main.server.report_link_previous_key.empty());
}

TEST_F(ReportLinkConfigTest, ReadsBothKeysFromReferences) {
  write("link.key", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n");
  write_with_server_lines(
      "  report_link_key: \"${file:link.key}\"\n"
      "  report_link_previous_key: \"aGVsbG8tdGhpcy1pcy1hLWtleS0x\"\n");
  const LoadResult result = load();
  ASSERT_TRUE(result.ok()) << all(result.problems);
  EXPECT_EQ(result.config->main.server.report_link_key.reveal(),
            "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
  EXPECT_EQ(result.config->main.server.report_link_previous_key.reveal(),
            "aGVsbG8tdGhpcy1pcy1hLWtleS0x");
}

TEST_F(ReportLinkConfigTest, RefusesAGuessableKeyWithoutShowingIt) {
  write_with_server_lines("  report_link_key: \"short-secret\"\n");
  const LoadResult result = load();
  EXPECT_FALSE(result.ok());
  EXPECT_PROBLEM_AT(result.problems,
                    "server.report_link_key must be a random key of at least 128 bits", 3, 20);
  EXPECT_EQ(all(result.problems).find("short-secret"), std::string::npos);
}

TEST_F(ReportLinkConfigTest, RefusesAPreviousKeyAlone) {
  write_with_server_lines(
      "  report_link_previous_key: "
      "\"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\"\n");
  const LoadResult result = load();
  EXPECT_FALSE(result.ok());
  EXPECT_PROBLEM_AT(result.problems,
                    "server.report_link_previous_key is set without server.report_link_key", 3, 3);
}

}  // namespace
}  // namespace ttb::config::testing
