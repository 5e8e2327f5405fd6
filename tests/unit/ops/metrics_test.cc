// The /metrics exposition: what Prometheus scrapes and what dashboards are built on.
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ops/metrics.h"
#include "ops/version.h"

namespace ttb::ops {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// The sample lines of `name` whose labels include every one of `labels` (label order is the
// serializer's business, not ours).
std::vector<std::string> samples(const std::string& text, const std::string& name,
                                 const std::vector<std::string>& labels) {
  std::vector<std::string> out;
  for (const auto& line : lines_of(text)) {
    if (line.rfind(name + "{", 0) != 0 && line.rfind(name + " ", 0) != 0) continue;
    bool all = true;
    for (const auto& label : labels) all = all && contains(line, label);
    if (all) out.push_back(line);
  }
  return out;
}

std::string value_of(const std::string& sample) {
  return sample.substr(sample.rfind(' ') + 1);
}

TEST(Metrics, RenderHasBuildInfoWithVersionAndUptime) {
  Metrics metrics;
  const std::string text = metrics.render();
  auto build = samples(
      text, "ttbridge_build_info",
      {std::string("version=\"") + kVersion + "\"", "abi=\"" + std::string(kPluginAbi) + "\""});
  ASSERT_EQ(build.size(), 1u) << text;
  EXPECT_EQ(value_of(build[0]), "1");

  auto uptime = samples(text, "ttbridge_uptime_seconds", {});
  ASSERT_EQ(uptime.size(), 1u) << text;
  EXPECT_GE(std::stod(value_of(uptime[0])), 0.0);
  EXPECT_TRUE(contains(text, "# TYPE ttbridge_uptime_seconds gauge")) << text;
}

TEST(Metrics, ObservedRequestIsCountedByRouteMethodAndStatus) {
  Metrics metrics;
  EXPECT_TRUE(samples(metrics.render(), "ttbridge_http_requests_total", {}).empty())
      << "no request observed yet, so no series";

  metrics.observe_request("/healthz", "GET", 200, 0.001);
  const std::string text = metrics.render();
  auto counted = samples(text, "ttbridge_http_requests_total",
                         {"route=\"/healthz\"", "method=\"GET\"", "status=\"200\""});
  ASSERT_EQ(counted.size(), 1u) << text;
  EXPECT_EQ(value_of(counted[0]), "1");
  EXPECT_TRUE(contains(text, "# TYPE ttbridge_http_requests_total counter")) << text;

  metrics.observe_request("/healthz", "GET", 200, 0.002);
  metrics.observe_request("/healthz", "GET", 503, 0.002);
  const std::string later = metrics.render();
  EXPECT_EQ(value_of(samples(later, "ttbridge_http_requests_total",
                             {"route=\"/healthz\"", "status=\"200\""})[0]),
            "2");
  EXPECT_EQ(value_of(samples(later, "ttbridge_http_requests_total",
                             {"route=\"/healthz\"", "status=\"503\""})[0]),
            "1");
}

TEST(Metrics, UnknownMethodsShareOneSeries) {
  Metrics metrics;
  for (int i = 0; i < 1000; ++i) {
    metrics.observe_request("unmatched", "X-" + std::to_string(i), 405, 0.001);
  }
  metrics.observe_request("unmatched", "get", 404, 0.001);  // methods are case-sensitive
  metrics.observe_request("/webhook", "POST", 202, 0.001);
  const std::string text = metrics.render();

  auto all = samples(text, "ttbridge_http_requests_total", {});
  EXPECT_EQ(all.size(), 3u) << text;
  auto other = samples(text, "ttbridge_http_requests_total",
                       {"route=\"unmatched\"", "method=\"other\"", "status=\"405\""});
  ASSERT_EQ(other.size(), 1u) << text;
  EXPECT_EQ(value_of(other[0]), "1000");
  EXPECT_EQ(
      samples(text, "ttbridge_http_requests_total", {"method=\"other\"", "status=\"404\""}).size(),
      1u)
      << text;
  EXPECT_FALSE(contains(text, "X-1")) << text;
}

TEST(Metrics, ObservedDurationLandsInHistogramBuckets) {
  Metrics metrics;
  metrics.observe_request("/healthz", "GET", 200, 0.001);
  const std::string text = metrics.render();
  const std::string bucket = "ttbridge_http_request_duration_seconds_bucket";
  auto bucket_value = [&](const std::string& le) {
    auto found = samples(text, bucket, {"route=\"/healthz\"", "le=\"" + le + "\""});
    return found.size() == 1 ? value_of(found[0]) : std::string("<missing le=" + le + ">");
  };
  EXPECT_EQ(bucket_value("0.0005"), "0") << text;
  EXPECT_EQ(bucket_value("0.001"), "1") << text;  // bounds are inclusive
  EXPECT_EQ(bucket_value("10"), "1") << text;
  EXPECT_EQ(bucket_value("+Inf"), "1") << text;

  auto count =
      samples(text, "ttbridge_http_request_duration_seconds_count", {"route=\"/healthz\""});
  ASSERT_EQ(count.size(), 1u) << text;
  EXPECT_EQ(value_of(count[0]), "1");
  auto sum = samples(text, "ttbridge_http_request_duration_seconds_sum", {"route=\"/healthz\""});
  ASSERT_EQ(sum.size(), 1u) << text;
  EXPECT_DOUBLE_EQ(std::stod(value_of(sum[0])), 0.001);
}

}  // namespace
}  // namespace ttb::ops
