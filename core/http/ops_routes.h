#pragma once
// Operator routes. The public listener carries only /healthz (alive); the admin listener
// (`admin.listen`) carries /healthz, /readyz (config loaded and store open) and /metrics
// (Prometheus text), and is where the operator API goes. None of them touches tenant data.
// docs/operations.md, "Health and metrics", describes both listeners.

#include <functional>
#include <memory>
#include <string>

#include "config/secret.h"
#include "http/auth_limiter.h"
#include "net/router.h"
#include "ops/metrics.h"

namespace ttb::http {

// Returns an empty string when ready, else the reason (shown in the 503 body).
using ReadinessCheck = std::function<std::string()>;

// GET /healthz: 200 "ok" while the process serves requests.
void add_health_route(net::Router& router);

struct AdminRouteOptions {
  ReadinessCheck readiness;
  // When not empty, /metrics (and every future operator route) needs
  // `Authorization: Bearer <token>`; /healthz and /readyz never do.
  config::Secret token;
  // The budget of failed tokens per client address, shared with the operator API's logins so
  // that /metrics is no way around it. Default: a budget of its own (AuthFailureLimits{}).
  std::shared_ptr<AuthFailureLimiter> auth_failures;
};

// /healthz, /readyz and /metrics, for the admin listener only.
void add_admin_routes(net::Router& router, ops::Metrics& metrics, AdminRouteOptions options);

}  // namespace ttb::http
