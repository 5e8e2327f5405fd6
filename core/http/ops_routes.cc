#include "http/ops_routes.h"

#include <memory>
#include <string_view>

namespace ttb::http {
namespace {

// True when no token is configured or the request carries it as a Bearer credential.
bool authorized(const config::Secret& token, const net::Request& request) {
  if (token.empty()) return true;
  constexpr std::string_view kScheme = "Bearer ";
  const std::string authorization = request.header("Authorization").value_or("");
  if (authorization.size() <= kScheme.size() ||
      authorization.compare(0, kScheme.size(), kScheme) != 0) {
    return false;
  }
  return token.equals(std::string_view(authorization).substr(kScheme.size()));
}

net::Response unauthorized() {
  net::Response r = net::Response::text(401, "admin token required (Authorization: Bearer)\n");
  r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"ttbridge-admin\"");
  return r;
}

}  // namespace

void add_health_route(net::Router& router) {
  router.add("GET", "/healthz", [](net::Request&) { return net::Response::text(200, "ok\n"); });
}

void add_admin_routes(net::Router& router, ops::Metrics& metrics, AdminRouteOptions options) {
  add_health_route(router);

  router.add("GET", "/readyz", [readiness = std::move(options.readiness)](net::Request&) {
    std::string reason = readiness();
    if (!reason.empty()) return net::Response::text(503, "not ready: " + reason + "\n");
    return net::Response::text(200, "ready\n");
  });

  auto token = std::make_shared<const config::Secret>(std::move(options.token));
  router.add("GET", "/metrics", [&metrics, token](net::Request& request) {
    if (!authorized(*token, request)) return unauthorized();
    net::Response r = net::Response::text(200, metrics.render());
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return r;
  });
}

}  // namespace ttb::http
