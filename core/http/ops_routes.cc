#include "http/ops_routes.h"

namespace ttb::http {

void add_ops_routes(net::Router& router, ops::Metrics& metrics, ReadinessCheck readiness) {
  router.add("GET", "/healthz", [](net::Request&) { return net::Response::text(200, "ok\n"); });

  router.add("GET", "/readyz", [readiness = std::move(readiness)](net::Request&) {
    std::string reason = readiness();
    if (!reason.empty()) return net::Response::text(503, "not ready: " + reason + "\n");
    return net::Response::text(200, "ready\n");
  });

  router.add("GET", "/metrics", [&metrics](net::Request&) {
    net::Response r = net::Response::text(200, metrics.render());
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return r;
  });
}

}  // namespace ttb::http
