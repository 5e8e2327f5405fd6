#pragma once
// The routes Teamtailor calls (docs/protocols/teamtailor.md, "Routes Teamtailor calls"): the
// activation form and its validation, the test picker (/config), the webhook that creates an order,
// and the result card's action buttons. Every route authenticates the calling company first.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "config/settings.h"
#include "http/auth_limiter.h"
#include "net/router.h"
#include "orders/order_service.h"
#include "tenants/tenant_directory.h"
#include "tenants/test_catalog.h"

namespace ttb::http {

struct PartnerRouteContext {
  const config::MainSettings* main = nullptr;
  tenants::LiveTenants* tenants = nullptr;
  tenants::TestCatalog* catalog = nullptr;
  orders::OrderService* orders = nullptr;
  std::function<std::chrono::system_clock::time_point()> now = [] {
    return std::chrono::system_clock::now();
  };
  // Failed authentication budgets; add_partner_routes makes one from main->server when unset.
  std::shared_ptr<AuthFailureLimiter> auth_failures;
};

void add_partner_routes(net::Router& router, PartnerRouteContext context);

}  // namespace ttb::http
