#pragma once
// Operator routes: /healthz (alive), /readyz (config loaded and store open), /metrics
// (Prometheus text). They never touch tenant data and need no credentials.

#include <functional>
#include <string>

#include "net/router.h"
#include "ops/metrics.h"

namespace ttb::http {

// Returns an empty string when ready, else the reason (shown in the 503 body).
using ReadinessCheck = std::function<std::string()>;

void add_ops_routes(net::Router& router, ops::Metrics& metrics, ReadinessCheck readiness);

}  // namespace ttb::http
