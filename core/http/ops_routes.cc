#include "http/ops_routes.h"

#include <memory>
#include <optional>
#include <string>

#include "http/admin_session.h"

namespace ttb::http {
namespace {

net::Response unauthorized() {
  net::Response r = net::Response::text(401, "admin token required (Authorization: Bearer)\n");
  r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"ttbridge-admin\"");
  return r;
}

// nullopt when no token is configured or the request carries it as a Bearer credential, else
// the refusal: 401, or 429 once the client address has spent its budget of failed tokens (the
// operator API's: a token guessed here is the operator API's too).
std::optional<net::Response> refuse(const config::Secret& token, AuthFailureLimiter& failures,
                                    const net::Request& request) {
  if (token.empty()) return std::nullopt;
  const std::string client = client_key(request);
  if (auto limited = refuse_if_limited(failures, client)) return limited;
  const std::optional<std::string> bearer = bearer_token(request);
  if (bearer && token.equals(*bearer)) return std::nullopt;
  if (bearer) failures.failed(client, "bad admin token at /metrics");
  return unauthorized();
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
  auto failures = options.auth_failures ? std::move(options.auth_failures)
                                        : std::make_shared<AuthFailureLimiter>(AuthFailureLimits{});
  router.add("GET", "/metrics", [&metrics, token, failures](net::Request& request) {
    if (auto refused = refuse(*token, *failures, request)) return std::move(*refused);
    net::Response r = net::Response::text(200, metrics.render());
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return r;
  });
}

}  // namespace ttb::http
