// The `jobs:` section of the main config and the per-tenant `retry:` overrides: defaults,
// values, inheritance of unset fields, and problems that name the file, line and key.
#include "config_fixture.h"

namespace ttb::config::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class JobsConfig : public ConfigTest {
 protected:
  void write_main_jobs(const std::string& jobs) {
    write("ttbridged.yaml",
          "server:\n  public_url: \"https://tt.example.com\"\n"
          "teamtailor:\n  api_key: \"${env:TT_KEY}\"\n"
          "  webhook_secret: \"${env:TT_SECRET}\"\n" +
              jobs + "plugins:\n  dir: \"" + (dir_ / "plugins").string() +
              "\"\ntenants:\n  dir: \"" + (dir_ / "tenants").string() + "\"\n");
  }
};

TEST_F(JobsConfig, AbsentJobsSectionKeepsTheDefaults) {
  write_main_jobs("");
  const LoadResult result = load();
  ASSERT_TRUE(result.ok()) << all(result.problems);
  const JobSettings& jobs = result.config->main.jobs;
  EXPECT_EQ(jobs.workers, 8);
  EXPECT_EQ(jobs.tenant_concurrency, 4);
  EXPECT_EQ(jobs.provider_rate_per_s, 0);
  EXPECT_EQ(jobs.teamtailor_workers, 4);
  EXPECT_EQ(jobs.retry.max_attempts, 10);
  EXPECT_EQ(jobs.retry.base_delay, milliseconds(1000));
  EXPECT_EQ(jobs.reconcile_after, seconds(3600));
  EXPECT_EQ(jobs.lease, seconds(30));
}

TEST_F(JobsConfig, JobsSectionSetsEveryValue) {
  write_main_jobs(
      "jobs:\n  workers: 3\n  tenant_concurrency: 2\n  provider_concurrency: 1\n"
      "  provider_rate_per_s: 20\n  teamtailor_workers: 2\n  poll_interval_s: 30\n  "
      "reconcile_after_s: 600\n"
      "  reconcile_every_s: 5\n  lease_s: 900\n  retry: { max_attempts: 4, base_delay_ms: 250 }\n");
  const LoadResult result = load();
  ASSERT_TRUE(result.ok()) << all(result.problems);
  const JobSettings& jobs = result.config->main.jobs;
  EXPECT_EQ(jobs.workers, 3);
  EXPECT_EQ(jobs.tenant_concurrency, 2);
  EXPECT_EQ(jobs.provider_concurrency, 1);
  EXPECT_EQ(jobs.provider_rate_per_s, 20);
  EXPECT_EQ(jobs.teamtailor_workers, 2);
  EXPECT_EQ(jobs.poll_interval, seconds(30));
  EXPECT_EQ(jobs.reconcile_after, seconds(600));
  EXPECT_EQ(jobs.reconcile_every, seconds(5));
  EXPECT_EQ(jobs.lease, seconds(900));
  EXPECT_EQ(jobs.retry.max_attempts, 4);
  EXPECT_EQ(jobs.retry.base_delay, milliseconds(250));
  EXPECT_EQ(jobs.retry.max_delay, milliseconds(seconds(600)));  // default kept
}

// A lease of seconds is for tests that take jobs over quickly (the two-daemon crash test);
// 0 would make every running job claimable at once, and is refused.
TEST_F(JobsConfig, ALeaseOfSecondsIsAcceptedAndZeroIsRefused) {
  write_main_jobs("jobs:\n  lease_s: 3\n");
  const LoadResult three = load();
  ASSERT_TRUE(three.ok()) << all(three.problems);
  EXPECT_EQ(three.config->main.jobs.lease, seconds(3));

  write_main_jobs("jobs:\n  lease_s: 0\n");
  const LoadResult zero = load();
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(all(zero.problems).find("jobs.lease_s: expected an integer between 1 and 86400"),
            std::string::npos)
      << all(zero.problems);
}

TEST_F(JobsConfig, BadJobValuesAreReportedWithTheirPlace) {
  write_main_jobs(
      "jobs:\n  workers: 0\n  teamtailor_workers: 65\n  retry: { max_attempts: many, "
      "base_delay_ms: 9000, "
      "max_delay_s: 2 }\n  speed: 3\n");
  const LoadResult result = load();
  ASSERT_FALSE(result.ok());
  const std::string text = all(result.problems);
  EXPECT_NE(text.find("ttbridged.yaml:7:12: jobs.workers: expected an integer between 1 and 256"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("jobs.teamtailor_workers: expected an integer between 1 and 64"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("jobs.retry.max_attempts: expected an integer"), std::string::npos) << text;
  EXPECT_NE(text.find("base_delay_ms (9000 ms) is longer than max_delay_s (2 s)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("speed"), std::string::npos) << text;
}

TEST_F(JobsConfig, TheOutageBreakerHasDefaultsAndItsOwnMap) {
  write_main_jobs("");
  const LoadResult defaults = load();
  ASSERT_TRUE(defaults.ok()) << all(defaults.problems);
  EXPECT_EQ(defaults.config->main.jobs.breaker_failures, 5);
  EXPECT_EQ(defaults.config->main.jobs.breaker_open, seconds(30));
  EXPECT_EQ(defaults.config->main.jobs.breaker_open_max, seconds(600));

  write_main_jobs("jobs:\n  breaker: { failures: 0, open_s: 5, open_max_s: 60 }\n");
  const LoadResult set = load();
  ASSERT_TRUE(set.ok()) << all(set.problems);
  EXPECT_EQ(set.config->main.jobs.breaker_failures, 0);
  EXPECT_EQ(set.config->main.jobs.breaker_open, seconds(5));
  EXPECT_EQ(set.config->main.jobs.breaker_open_max, seconds(60));
}

TEST_F(JobsConfig, ABreakerWhoseLongestWaitIsShorterThanItsFirstIsRefused) {
  write_main_jobs("jobs:\n  breaker:\n    open_s: 120\n    open_max_s: 60\n    failures: -1\n");
  const LoadResult result = load();
  ASSERT_FALSE(result.ok());
  const std::string text = all(result.problems);
  EXPECT_NE(text.find("ttbridged.yaml:9:17: jobs.breaker: open_max_s (60 s) is shorter than "
                      "open_s (120 s)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("jobs.breaker.failures: expected an integer between 0 and 1000"),
            std::string::npos)
      << text;
  // The wait alone may not exceed the default longest wait either.
  write_main_jobs("jobs:\n  breaker: { open_s: 900 }\n");
  const LoadResult alone = load();
  ASSERT_FALSE(alone.ok());
  EXPECT_NE(all(alone.problems).find("open_max_s (600 s) is shorter than open_s (900 s)"),
            std::string::npos)
      << all(alone.problems);
}

TEST_F(JobsConfig, TenantRetryOverridesOnlyWhatItSets) {
  write_main_jobs("");
  write("tenants/acme.yaml",
        "id: acme\nactivation_token: tok-acme-0123456789abcdefghij\nretry:\n  max_attempts: 3\n  "
        "deadline_s: 600\n");
  write("tenants/globex.yaml", "id: globex\nactivation_token: tok-globex-0123456789abcdefghij\n");
  const LoadResult result = load();
  ASSERT_TRUE(result.ok()) << all(result.problems);
  const auto& main = result.config->main.jobs.retry;
  const auto& acme = result.config->tenants[0];
  ASSERT_EQ(acme.id, "acme");
  EXPECT_EQ(acme.retry.max_attempts, 3);
  EXPECT_EQ(acme.retry.base_delay, std::nullopt);
  const RetrySettings effective = main.merged(acme.retry);
  EXPECT_EQ(effective.max_attempts, 3);
  EXPECT_EQ(effective.deadline, milliseconds(seconds(600)));
  EXPECT_EQ(effective.base_delay, main.base_delay);
  const RetrySettings globex = main.merged(result.config->tenants[1].retry);
  EXPECT_EQ(globex.max_attempts, main.max_attempts);
}

TEST_F(JobsConfig, BadTenantRetryRefusesTheTenantFile) {
  write_main_jobs("");
  write("tenants/acme.yaml",
        "id: acme\nactivation_token: tok-acme-0123456789abcdefghij\nretry:\n  max_attempts: -1\n  "
        "backoff: 2\n");
  const LoadResult result = load();
  ASSERT_FALSE(result.ok());
  const std::string text = all(result.problems);
  EXPECT_NE(text.find("acme.yaml:4:17: retry.max_attempts: expected an integer between 1 and "
                      "1000"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("backoff"), std::string::npos) << text;
}

}  // namespace
}  // namespace ttb::config::testing
