// The conformance kit against plugins that keep or break the contract on purpose: each broken
// plugin must fail with a line that names what it did.

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "testkit/plugin_check.h"

namespace {

std::string plugin(const char* name) {
  return std::string(TTB_TEST_PLUGIN_DIR) + "/" + name + ".so";
}

struct Run {
  int rc;
  std::string out;
};

Run check(const char* name, const std::string& config = "{}",
          ttb::testkit::CheckOptions options = {}) {
  if (options.call_limit == ttb::testkit::CheckOptions{}.call_limit)
    options.call_limit = std::chrono::milliseconds(2000);
  options.block_limit = std::chrono::milliseconds(1000);
  std::ostringstream out;
  int rc = ttb::testkit::run_plugin_check(plugin(name), config, out, options);
  return {rc, out.str()};
}

bool has_line(const std::string& out, const std::string& prefix, const std::string& text) {
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(prefix, 0) == 0 && line.find(text) != std::string::npos) return true;
  return false;
}

TEST(PluginCheck, PassesTheGoodPlugin) {
  auto r = check("ttb_test_good", R"({"api_key":"k","token":"secret"})");
  EXPECT_EQ(r.rc, 0) << r.out;
  EXPECT_TRUE(has_line(r.out, "PASS negotiate:", "refuses host major 2")) << r.out;
  EXPECT_TRUE(has_line(r.out, "PASS handle_callback:", "survived")) << r.out;
  EXPECT_TRUE(has_line(r.out, "RESULT PASS", "")) << r.out;
}

TEST(PluginCheck, PassesTheTemplate) {
  auto r = check("ttb_test_template", R"({"api_key":"k"})");
  EXPECT_EQ(r.rc, 0) << r.out;
  EXPECT_TRUE(has_line(r.out, "PASS create_order (malformed JSON):", "invalid")) << r.out;
}

TEST(PluginCheck, WithoutAConfigCreatesThePluginWithItsSampleAndChecks11Members) {
  auto r = check("ttb_test_template", "");
  EXPECT_EQ(r.rc, 0) << r.out;
  EXPECT_TRUE(has_line(r.out, "INFO create:", "using the plugin's sample_config")) << r.out;
  EXPECT_TRUE(has_line(r.out, "PASS config_schema:", "3 setting(s)")) << r.out;
  EXPECT_TRUE(has_line(r.out, "PASS sample_config:", "every required setting")) << r.out;
  auto good = check("ttb_test_good", "");
  EXPECT_TRUE(has_line(good.out, "INFO actions:", "resend_invitation")) << good.out;
  EXPECT_TRUE(has_line(good.out, "PASS fetch_document:", "a link")) << good.out;
}

TEST(PluginCheck, NamesAPluginBuiltAgainstThe10Header) {
  auto r = check("ttb_test_abi_1_0", "");
  EXPECT_TRUE(has_line(r.out, "INFO descriptor:", "built against ABI 1.0")) << r.out;
  EXPECT_TRUE(has_line(r.out, "PASS create:", "instance created")) << r.out;
  EXPECT_TRUE(has_line(r.out, "INFO optional:", "fetch_document")) << r.out;
}

TEST(PluginCheck, FailsWhenCreateRefusesTheConfigWithItsMessage) {
  auto r = check("ttb_test_create_fails");
  EXPECT_EQ(r.rc, 1);
  EXPECT_TRUE(has_line(r.out, "FAIL create:", "config needs \"api_key\"")) << r.out;
}

TEST(PluginCheck, FailsATestIdTheHostWouldRefuseAndNamesTheHelper) {
  auto r = check("ttb_test_bad_test_id");
  EXPECT_EQ(r.rc, 1);
  EXPECT_TRUE(has_line(r.out, "FAIL list_tests:", "control character")) << r.out;
  EXPECT_TRUE(has_line(r.out, "FAIL list_tests:", "is_valid_test_id")) << r.out;
}

TEST(PluginCheck, ReportsExceptionsTurnedIntoInternal) {
  auto r = check("ttb_test_throws");
  EXPECT_EQ(r.rc, 1);
  EXPECT_TRUE(has_line(r.out, "FAIL list_tests:", "internal (a plugin bug): boom in list_tests"))
      << r.out;
}

TEST(PluginCheck, ReportsAnExceptionEscapingTheBoundary) {
  auto r = check("ttb_test_escapes");
  EXPECT_EQ(r.rc, 1);
  EXPECT_TRUE(has_line(r.out, "FAIL exceptions:", "escaped from list_tests")) << r.out;
}

TEST(PluginCheck, ReportsCallsThatNeverComplete) {
  ttb::testkit::CheckOptions quick;  // every call of this plugin waits out the limit
  quick.call_limit = std::chrono::milliseconds(300);
  auto r = check("ttb_test_silent", "{}", quick);
  EXPECT_EQ(r.rc, 1);
  EXPECT_TRUE(has_line(r.out, "FAIL list_tests:", "never completed")) << r.out;
}

TEST(PluginCheck, ReportsCallsCompletedTwice) {
  auto r = check("ttb_test_twice");
  EXPECT_EQ(r.rc, 1);
  EXPECT_TRUE(has_line(r.out, "FAIL list_tests:", "completed 2 times")) << r.out;
}

TEST(PluginCheck, SurvivesAndReportsAPluginThatSegfaultsOnGarbage) {
  auto r = check("ttb_test_segv");
  EXPECT_EQ(r.rc, 1);
  EXPECT_TRUE(has_line(r.out, "FAIL crash:", "during handle_callback")) << r.out;
  EXPECT_TRUE(has_line(r.out, "PASS list_tests:", "")) << "findings before the crash are kept\n"
                                                       << r.out;
}

TEST(PluginCheck, ReportsAFunctionThatBlocks) {
  auto r = check("ttb_test_blocks");
  EXPECT_EQ(r.rc, 1);
  EXPECT_TRUE(has_line(r.out, "FAIL blocking:", "list_tests did not return within 1000 ms"))
      << r.out;
}

TEST(PluginCheck, RefusesAWrongMajorPlugin) {
  auto r = check("ttb_test_wrong_major");
  EXPECT_EQ(r.rc, 1);
  EXPECT_TRUE(has_line(r.out, "FAIL negotiate:", "returned NULL")) << r.out;
}

TEST(PluginCheck, ReportsAMissingEntrySymbol) {
  auto r = check("ttb_test_no_entry");
  EXPECT_EQ(r.rc, 1);
  EXPECT_TRUE(has_line(r.out, "FAIL entry:", "does not export ttb_plugin_entry")) << r.out;
}

TEST(PluginCheck, ReportsAFileThatIsNotALibrary) {
  std::ostringstream out;
  int rc = ttb::testkit::run_plugin_check(__FILE__, "{}", out);
  EXPECT_EQ(rc, 1);
  EXPECT_TRUE(has_line(out.str(), "FAIL load:", "cannot load")) << out.str();
}

TEST(PluginCheck, RunsInProcessWhenIsolationIsOff) {
  ttb::testkit::CheckOptions options;
  options.isolate = false;
  auto r = check("ttb_test_twice", "{}", options);
  EXPECT_EQ(r.rc, 1);
  EXPECT_TRUE(has_line(r.out, "FAIL create_order:", "completed 2 times")) << r.out;
}

}  // namespace
