#include "ops/metrics.h"

#include <sstream>

#include <prometheus/text_serializer.h>

#include "ops/version.h"

namespace ttb::ops {

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      requests_(prometheus::BuildCounter()
                    .Name("ttbridge_http_requests_total")
                    .Help("HTTP requests served, by route template, method and status")
                    .Register(*registry_)),
      request_seconds_(prometheus::BuildHistogram()
                           .Name("ttbridge_http_request_duration_seconds")
                           .Help("Time from request read to response written, by route")
                           .Register(*registry_)),
      uptime_(prometheus::BuildGauge()
                  .Name("ttbridge_uptime_seconds")
                  .Help("Seconds since the process started")
                  .Register(*registry_)
                  .Add({})),
      started_(std::chrono::steady_clock::now()) {
  prometheus::BuildGauge()
      .Name("ttbridge_build_info")
      .Help("Build information; the value is always 1")
      .Register(*registry_)
      .Add({{"version", kVersion}, {"abi", kPluginAbi}})
      .Set(1);
}

namespace {

// A client chooses the method, so it cannot choose the label: anything but the methods our routes
// serve counts as "other", and no request can create a new time series.
const char* method_label(const std::string& method) {
  for (const char* known : {"GET", "POST", "PUT", "DELETE"}) {
    if (method == known) return known;
  }
  return "other";
}

}  // namespace

void Metrics::observe_request(const std::string& route, const std::string& method, int status,
                              double seconds) {
  requests_
      .Add({{"route", route}, {"method", method_label(method)}, {"status", std::to_string(status)}})
      .Increment();
  static const prometheus::Histogram::BucketBoundaries kBuckets{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  request_seconds_.Add({{"route", route}}, kBuckets).Observe(seconds);
}

void Metrics::refresh_uptime() {
  uptime_.Set(std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count());
}

std::string Metrics::render() {
  refresh_uptime();
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, registry_->Collect());
  return out.str();
}

}  // namespace ttb::ops
