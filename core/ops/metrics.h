#pragma once
// The process's Prometheus registry and the metrics every part of the engine shares. Names follow
// ttbridge_<what>_<unit>; labels are tenant/provider/route/status where they help an operator.

#include <memory>
#include <string>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace ttb::ops {

class Metrics {
 public:
  Metrics();

  prometheus::Registry& registry() { return *registry_; }
  std::shared_ptr<prometheus::Registry> shared_registry() { return registry_; }

  // ttbridge_http_requests_total{route,method,status} and ttbridge_http_request_duration_seconds.
  // The label set is fixed: `route` is a route template or "unmatched" (the server's business),
  // `method` is GET, POST, PUT, DELETE or "other", `status` the status the server answered.
  void observe_request(const std::string& route, const std::string& method, int status,
                       double seconds);
  // Sets ttbridge_uptime_seconds before a scrape.
  void refresh_uptime();

  // The Prometheus text exposition of everything registered.
  std::string render();

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& request_seconds_;
  prometheus::Gauge& uptime_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace ttb::ops
