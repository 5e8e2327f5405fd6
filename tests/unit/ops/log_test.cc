// format_line is the whole of what an operator sees in a log line; these pin its two formats.
#include <cmath>
#include <regex>
#include <string>

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

}  // namespace
}  // namespace ttb::ops
