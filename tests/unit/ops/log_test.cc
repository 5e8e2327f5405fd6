// format_line is the whole of what an operator sees in a log line; these pin its two formats, and
// LogBatch, which holds a thread's lines and writes them together.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <regex>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ops/log.h"

namespace ttb::ops {
namespace {

TEST(FormatLine, JsonLineIsValidJsonWithTsLevelEventAndTypedFields) {
  const std::string line = format_line(LogFormat::json, Level::warn, "order_created",
                                       {{"tenant", "acme"},
                                        {"attempt", 3},
                                        {"duration_ms", 12.5},
                                        {"retried", true},
                                        {"big", 5000000000LL}});
  ASSERT_EQ(line.find('\n'), std::string::npos) << "one event must be one line";

  const nlohmann::json parsed = nlohmann::json::parse(line);  // throws (fails) if not JSON
  ASSERT_TRUE(parsed.is_object());
  EXPECT_EQ(parsed.at("level"), "warn");
  EXPECT_EQ(parsed.at("event"), "order_created");
  ASSERT_TRUE(parsed.at("ts").is_string());
  EXPECT_TRUE(std::regex_match(parsed.at("ts").get<std::string>(),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
      << parsed.at("ts");

  ASSERT_TRUE(parsed.at("tenant").is_string());
  EXPECT_EQ(parsed.at("tenant"), "acme");
  ASSERT_TRUE(parsed.at("attempt").is_number_integer());
  EXPECT_EQ(parsed.at("attempt").get<std::int64_t>(), 3);
  ASSERT_TRUE(parsed.at("duration_ms").is_number_float());
  EXPECT_DOUBLE_EQ(parsed.at("duration_ms").get<double>(), 12.5);
  ASSERT_TRUE(parsed.at("retried").is_boolean());
  EXPECT_TRUE(parsed.at("retried").get<bool>());
  EXPECT_EQ(parsed.at("big").get<std::int64_t>(), 5000000000LL);
}

TEST(FormatLine, JsonEscapesQuotesNewlinesAndInvalidUtf8) {
  const std::string hostile = std::string("a\"b\nc\\d ") + "\xff\xfe";
  const std::string line =
      format_line(LogFormat::json, Level::error, "vendor_error", {{"error", hostile}});
  EXPECT_EQ(line.find('\n'), std::string::npos);
  const nlohmann::json parsed = nlohmann::json::parse(line);
  const std::string error = parsed.at("error");
  EXPECT_EQ(error.substr(0, 8), "a\"b\nc\\d ");
  EXPECT_NE(error.find("\xEF\xBF\xBD"), std::string::npos) << "invalid bytes become U+FFFD";
}

TEST(FormatLine, JsonLineKeepsTheOrderGivenAndWritesEveryDoubleAsANumber) {
  const std::string line =
      format_line(LogFormat::json, Level::info, "tick",
                  {{"whole", 2.0}, {"tiny", 1e-7}, {"nan", std::nan("")}, {"count", -3}});
  const auto at = [&](const char* key) { return line.find(key); };
  EXPECT_EQ(at(R"({"ts":")"), 0U) << line;
  EXPECT_LT(at(R"("ts")"), at(R"("level":"info")")) << line;
  EXPECT_LT(at(R"("level")"), at(R"("event":"tick")")) << line;
  EXPECT_LT(at(R"("event")"), at(R"("whole")")) << line;
  EXPECT_LT(at(R"("whole")"), at(R"("count")")) << line;

  const nlohmann::json parsed = nlohmann::json::parse(line);
  ASSERT_TRUE(parsed.at("whole").is_number_float()) << line;
  EXPECT_DOUBLE_EQ(parsed.at("whole").get<double>(), 2.0);
  EXPECT_DOUBLE_EQ(parsed.at("tiny").get<double>(), 1e-7);
  EXPECT_TRUE(parsed.at("nan").is_null()) << "JSON has no NaN: " << line;
  EXPECT_EQ(parsed.at("count").get<std::int64_t>(), -3);
}

TEST(FormatLine, TextQuotesValuesWithSpacesAndLeavesPlainOnesBare) {
  const std::string line = format_line(LogFormat::text, Level::info, "job_done",
                                       {{"job", "j-42"},
                                        {"message", "took too long"},
                                        {"count", 7},
                                        {"ok", false},
                                        {"empty", ""},
                                        {"eq", "a=b"}});
  EXPECT_NE(line.find(" info  job_done "), std::string::npos) << line;
  EXPECT_NE(line.find(" job=j-42"), std::string::npos) << line;
  EXPECT_NE(line.find(" message=\"took too long\""), std::string::npos) << line;
  EXPECT_NE(line.find(" count=7"), std::string::npos) << line;
  EXPECT_NE(line.find(" ok=false"), std::string::npos) << line;
  EXPECT_NE(line.find(" empty=\"\""), std::string::npos) << line;
  EXPECT_NE(line.find(" eq=\"a=b\""), std::string::npos) << line;
}

TEST(FormatLine, TextEscapesEmbeddedQuotesAndNewlinesSoOneEventStaysOneLine) {
  const std::string line =
      format_line(LogFormat::text, Level::warn, "x", {{"error", "say \"hi\"\nthen"}});
  EXPECT_EQ(line.find('\n'), std::string::npos) << line;
  EXPECT_NE(line.find(R"(error="say \"hi\"\nthen")"), std::string::npos) << line;
}

TEST(Logging, MinimumLevelFiltersLowerLevels) {
  init_logging(LogFormat::json, Level::warn);
  EXPECT_FALSE(enabled(Level::debug));
  EXPECT_FALSE(enabled(Level::info));
  EXPECT_TRUE(enabled(Level::warn));
  EXPECT_TRUE(enabled(Level::error));
  init_logging(LogFormat::json, Level::debug);
  EXPECT_TRUE(enabled(Level::debug));
  init_logging(LogFormat::text, Level::info);
}

// Points stderr at a temporary file for the test's length, so that what has been written so far
// can be read at any moment.
class StderrFile {
 public:
  StderrFile() : file_(std::tmpfile()), saved_(::dup(STDERR_FILENO)) {
    std::fflush(stderr);
    ::dup2(::fileno(file_), STDERR_FILENO);
  }
  ~StderrFile() {
    std::fflush(stderr);
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
    std::fclose(file_);
  }
  std::string written() const {
    std::string out;
    char buffer[4096];
    for (off_t at = 0;;) {
      const ssize_t n = ::pread(::fileno(file_), buffer, sizeof buffer, at);
      if (n <= 0) return out;
      out.append(buffer, static_cast<std::size_t>(n));
      at += n;
    }
  }

 private:
  std::FILE* file_;
  int saved_;
};

std::size_t count_lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// JSON lines at info into a StderrFile; the usual format comes back even when an assertion ended
// the test early.
class LogBatchTest : public ::testing::Test {
 protected:
  void SetUp() override { init_logging(LogFormat::json, Level::info); }
  void TearDown() override { init_logging(LogFormat::text, Level::info); }

  StderrFile err;
};

TEST_F(LogBatchTest, HoldsThisThreadsLinesUntilItEndsThenWritesAllInOrder) {
  {
    const LogBatch batch;
    log_info("first", {{"n", 1}});
    log_info("second", {{"n", 2}});
    log_debug("below_the_level");
    EXPECT_EQ(err.written(), "") << "held until the batch ends";
  }
  const std::string written = err.written();
  ASSERT_EQ(count_lines(written), 2U) << written;
  EXPECT_LT(written.find(R"("event":"first")"), written.find(R"("event":"second")")) << written;
  EXPECT_EQ(written.find("below_the_level"), std::string::npos);
  log_info("after");
  EXPECT_EQ(count_lines(err.written()), 3U) << "a line outside a batch is written at once";
}

TEST_F(LogBatchTest, NestedBatchesWriteOnceWhenTheOutermostEnds) {
  {
    const LogBatch outer;
    log_info("outer_line");
    {
      const LogBatch inner;
      log_info("inner_line");
    }
    EXPECT_EQ(err.written(), "");
  }
  EXPECT_EQ(count_lines(err.written()), 2U) << err.written();
}

TEST_F(LogBatchTest, AnotherThreadsLinesAreNotHeld) {
  {
    const LogBatch batch;
    log_info("held");
    std::thread([] { log_info("from_another_thread"); }).join();
    const std::string written = err.written();
    EXPECT_NE(written.find("from_another_thread"), std::string::npos) << written;
    EXPECT_EQ(written.find(R"("event":"held")"), std::string::npos) << written;
  }
  EXPECT_EQ(count_lines(err.written()), 2U);
}

TEST_F(LogBatchTest, WritesWhatItHoldsOnceItPassesItsBoundWithoutLosingALine) {
  const std::string filler(1000, 'x');
  {
    const LogBatch batch;
    for (int i = 0; i < 100; ++i) log_info("long_line", {{"i", i}, {"filler", filler}});
    const std::size_t early = count_lines(err.written());
    EXPECT_GT(early, 0U) << "some 100 KiB of lines must not all wait in memory";
    EXPECT_LT(early, 100U);
  }
  const std::string written = err.written();
  ASSERT_EQ(count_lines(written), 100U);
  EXPECT_LT(written.find(R"("i":98,)"), written.find(R"("i":99,)"));
}

}  // namespace
}  // namespace ttb::ops
