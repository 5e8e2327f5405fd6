#pragma once
// The operator API on the admin listener (docs/operations.md, "Operator API"): JSON reads of the
// overview, tenants, orders, jobs and charts, and the two actions an operator takes (retry a dead
// job, replay an order's step). Authentication: `Authorization: Bearer <admin token>`, or a
// console session (admin_session.h) whose state-changing requests carry X-CSRF-Token. Failed
// logins and bad tokens spend the client's budget of the auth limiter (429 past it). Without an
// admin token the API answers 403 on TCP and is open on a Unix socket, whose file mode (0660) is
// then the boundary.

#include <functional>
#include <memory>

#include "admin/activity_sampler.h"
#include "admin/overview.h"
#include "config/secret.h"
#include "http/admin_session.h"
#include "http/auth_limiter.h"
#include "net/router.h"
#include "orders/order_service.h"
#include "store/store.h"
#include "tenants/tenant_directory.h"

namespace ttb::http {

struct OperatorApiContext {
  store::Store* store = nullptr;
  orders::OrderService* orders = nullptr;
  tenants::LiveTenants* tenants = nullptr;
  admin::ActivitySampler* activity = nullptr;
  config::Secret token;      // admin.token_file's token; empty: none configured
  bool unix_socket = false;  // the admin listener is a Unix socket (admin.listen "unix:...")
  store::Clock clock;        // default: system_clock::now
  std::shared_ptr<AdminSessions> sessions;            // default: a new set
  std::shared_ptr<AuthFailureLimiter> auth_failures;  // default: AuthFailureLimits{}
  std::function<admin::Outages()> outages;            // the breakers open now; null: none
};

// Adds /api/session, /api/overview, /api/tenants, /api/orders, /api/orders/{id}, /api/jobs,
// /api/stats, /api/jobs/{id}/retry and /api/orders/{id}/replay. The pointers must outlive the
// router.
void add_operator_api(net::Router& router, OperatorApiContext context);

}  // namespace ttb::http
