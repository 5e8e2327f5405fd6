// What the loader refuses before it can cost much: an alias bomb or too deep a document in a
// main or tenant file (with file:line), and ${file:} targets that are not a regular file (a FIFO
// never blocks the loader), larger than 64 KiB (never read whole), or readable by others (a
// warning in the log, the value still works).

#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "config_fixture.h"

namespace ttb::config::testing {
namespace {

using LimitsTest = ConfigTest;
using Clock = std::chrono::steady_clock;

// A tenant file whose provider config holds nine levels of aliases: 10^9 values when expanded.
std::string alias_bomb() {
  std::string text =
      "id: acme\n"
      "activation_token: tok-acme-0123456789abcdefghij\n"
      "providers:\n"
      "  - name: checkr\n"
      "    plugin: checkr\n"
      "    config:\n"
      "      a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i <= 9; ++i) {
    const std::string prev = "*a" + std::to_string(i - 1);
    text += "      a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) text += (j ? ", " : "") + prev;
    text += "]\n";
  }
  return text;
}

std::string teamtailor_with_secret_file(const std::string& path) {
  return "teamtailor:\n  api_key: \"${file:" + path + "}\"\n  webhook_secret: b\n";
}

TEST_F(LimitsTest, AnAliasBombInATenantFileIsRefusedQuicklyWithItsPlace) {
  write_main();
  add_plugin("checkr");
  write("tenants/acme.yaml", alias_bomb());
  const auto start = Clock::now();
  const LoadResult result = load();
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  EXPECT_FALSE(result.ok());
  const Problem* p = find_problem(result.problems, "expands to more than 100000 values");
  ASSERT_NE(p, nullptr) << all(result.problems);
  EXPECT_NE(p->where.file.find("acme.yaml"), std::string::npos) << p->to_string();
  EXPECT_GE(p->where.line, 7) << p->to_string();
}

TEST_F(LimitsTest, AnAliasBombInTheMainFileIsRefusedToo) {
  std::string bomb = "x0: &x0 [a, a, a, a, a, a, a, a, a, a]\n";
  for (int i = 1; i <= 9; ++i) {
    bomb += "x" + std::to_string(i) + ": &x" + std::to_string(i) + " [";
    for (int j = 0; j < 10; ++j) bomb += (j ? ", *x" : "*x") + std::to_string(i - 1);
    bomb += "]\n";
  }
  write("ttbridged.yaml", bomb);
  const LoadResult result = load();
  EXPECT_FALSE(result.ok());
  const Problem* p = find_problem(result.problems, "expands to more than 100000 values");
  ASSERT_NE(p, nullptr) << all(result.problems);
  EXPECT_NE(p->where.file.find("ttbridged.yaml"), std::string::npos) << p->to_string();
  EXPECT_GE(p->where.line, 1);
}

TEST_F(LimitsTest, TooDeepADocumentIsRefusedWithItsPlace) {
  write_main();
  add_plugin("checkr");
  write("tenants/acme.yaml",
        "id: acme\nactivation_token: tok-acme-0123456789abcdefghij\nproviders:\n  - name: checkr\n "
        "   plugin: checkr\n"
        "    config: { deep: " +
            std::string(100, '[') + std::string(100, ']') + " }\n");
  const LoadResult result = load();
  EXPECT_FALSE(result.ok());
  const Problem* p = find_problem(result.problems, "nests deeper than 64 levels");
  ASSERT_NE(p, nullptr) << all(result.problems);
  EXPECT_EQ(p->where.line, 6) << p->to_string();
}

TEST_F(LimitsTest, AFifoAsASecretFileIsRefusedWithoutBlocking) {
  const std::string fifo = (dir_ / "secret.fifo").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  write_main(teamtailor_with_secret_file(fifo));
  const auto start = Clock::now();
  const LoadResult result = load();
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  EXPECT_FALSE(result.ok());
  EXPECT_NE(find_problem(result.problems, "is a FIFO, not a regular file"), nullptr)
      << all(result.problems);
}

TEST_F(LimitsTest, ADeviceAsASecretFileIsRefused) {
  write_main(teamtailor_with_secret_file("/dev/zero"));
  const LoadResult result = load();
  EXPECT_FALSE(result.ok());
  EXPECT_NE(find_problem(result.problems, "/dev/zero is a device, not a regular file"), nullptr)
      << all(result.problems);
}

TEST_F(LimitsTest, AHugeSecretFileIsRefusedAfterReadingAtMost64KiB) {
  // A sparse file of 1 GiB: reading it whole would take long and a GiB of memory.
  const std::filesystem::path big = write("big.key", "x");
  std::filesystem::resize_file(big, std::uintmax_t{1} << 30);
  write_main(teamtailor_with_secret_file(big.string()));
  const auto start = Clock::now();
  const LoadResult result = load();
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));
  EXPECT_FALSE(result.ok());
  EXPECT_NE(find_problem(result.problems, "is larger than 65536 bytes"), nullptr)
      << all(result.problems);
}

TEST_F(LimitsTest, ASecretFileReadableByOthersWorksWithAWarning) {
  const std::filesystem::path key = write("tt.key", "file-api-key\n");
  write_main(teamtailor_with_secret_file(key.string()));

  ASSERT_EQ(::chmod(key.c_str(), 0640), 0);
  ::testing::internal::CaptureStderr();
  LoadResult result = load();
  std::string log = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(result.ok()) << all(result.problems);
  EXPECT_EQ(result.config->main.teamtailor.api_key.reveal(), "file-api-key");
  EXPECT_NE(log.find("secret_file_readable_by_others"), std::string::npos) << log;
  EXPECT_NE(log.find("0640"), std::string::npos) << log;

  ASSERT_EQ(::chmod(key.c_str(), 0600), 0);
  ::testing::internal::CaptureStderr();
  result = load();
  log = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(result.ok()) << all(result.problems);
  EXPECT_EQ(log.find("secret_file_readable_by_others"), std::string::npos) << log;
}

}  // namespace
}  // namespace ttb::config::testing
