#pragma once
// The routes Teamtailor calls (docs/protocols/teamtailor.md, "Routes Teamtailor calls"): the
// activation form and its validation, the test picker (/config), the webhook that creates an order,
// and the result card's action buttons. Every route authenticates the calling company first. Also
// the card's stable report links (GET /reports/{token}), whose signed token is their credential.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "config/settings.h"
#include "http/auth_limiter.h"
#include "http/report_links.h"
#include "jobs/call_deaths.h"
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
  // The longest a route waits for a plugin's answer; past it the caller gets a retryable 503.
  // The plugin host ends every call at its own deadline; this one is the route's backstop, so a
  // call that never completes cannot hold an HTTP worker for ever.
  std::chrono::milliseconds plugin_wait{31000};
  // Signs and verifies the stable report links of GET /reports/{token}; null when
  // server.report_link_key is not set (then every such request is answered 404).
  std::shared_ptr<const ReportLinks> report_links;
  // Vendor callbacks that killed the daemon while a plugin inside it handled them (isolation:
  // inproc): each such call is journaled, and one that killed it twice is refused. Null: none
  // journaled (tests).
  std::shared_ptr<const jobs::CallbackDeaths> callback_deaths;
};

void add_partner_routes(net::Router& router, PartnerRouteContext context);

}  // namespace ttb::http
