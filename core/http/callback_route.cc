// POST /callbacks/{tenant}/{provider}[/{rest}]: a vendor tells us something changed. The raw
// request goes to that provider's plugin, which verifies the vendor's signature over the exact
// bytes; the updates it returns apply to that tenant's and provider's orders only.

#include <future>

#include "http/partner_routes_impl.h"
#include "ops/log.h"
#include "orders/order_json.h"

namespace ttb::http {
namespace {

constexpr std::string_view kOrderPathPrefix = "orders/";
// What a vendor is told to wait before it sends again a callback we could not take.
constexpr std::string_view kRetryAfterSeconds = "10";

net::Response retry_later(int status, std::string body) {
  net::Response response = net::Response::text(status, std::move(body));
  response.headers.emplace_back("Retry-After", std::string(kRetryAfterSeconds));
  return response;
}

// A plugin that could not answer: tell the vendor to come back (5xx) unless the request itself
// was refused.
int status_for_failed_call(plugins::CallStatus status) {
  switch (status) {
    case plugins::CallStatus::invalid:
      return 400;
    case plugins::CallStatus::auth:
      return 401;
    case plugins::CallStatus::not_found:
    case plugins::CallStatus::unsupported:
      return 404;
    case plugins::CallStatus::internal:
      return 500;
    default:
      return 503;
  }
}

}  // namespace

net::Response receive_vendor_callback(const PartnerRouteContext& context, net::Request& request) {
  const std::string& tenant_id = request.params["tenant"];
  const std::string& provider_name = request.params["provider"];
  const std::string& rest = request.params["rest"];

  auto directory = context.tenants->current();
  const tenants::Tenant* tenant = directory->find(tenant_id);
  const tenants::ProviderEntry* provider = tenant ? tenant->provider(provider_name) : nullptr;
  if (!provider) return net::Response::text(404, "unknown tenant or provider\n");
  if (!provider->instance) return net::Response::text(503, "provider disabled; retry later\n");

  plugins::CallbackRequest call;
  call.method = request.method;
  call.path = rest;
  call.headers = request.headers;
  call.body = request.body;
  std::optional<store::OrderRecord> order;
  if (rest.starts_with(kOrderPathPrefix)) {
    // Only an order of this tenant and provider gives context; anything else reaches the plugin
    // without one and is refused there.
    auto read = context.orders->callback_order(tenant_id, provider_name,
                                               rest.substr(kOrderPathPrefix.size()));
    if (!read) {
      // Without the order the plugin would refuse the call as naming no order (a 401 or 404
      // the vendor does not send again): the vendor is asked to come back instead.
      ops::log_error("callback_order_unreadable", {{"tenant", tenant_id},
                                                   {"provider", provider_name},
                                                   {"error", read.error().message},
                                                   {"request_id", request.request_id}});
      return retry_later(503, "the order could not be read; retry later\n");
    }
    order = std::move(*read);
    if (order) call.order_json = orders::order_context_json(*order);
  }

  // A plugin inside the daemon takes the daemon down if it crashes here: journal the call, and
  // refuse one that did that twice already rather than crash-loop on a vendor's redeliveries.
  const jobs::CallbackDeaths* deaths =
      provider->instance->runs_in_daemon_process() ? context.callback_deaths.get() : nullptr;
  std::uint64_t digest = 0;
  if (deaths) {
    digest = jobs::CallbackDeaths::digest_of(tenant_id, provider_name, call.method, call.path,
                                             call.body);
    if (deaths->refused(digest)) {
      ops::log_error("callback_refused_crashed_before",
                     {{"tenant", tenant_id},
                      {"provider", provider_name},
                      {"deaths", deaths->deaths(digest)},
                      {"detail",
                       "the daemon died each time its plugin handled this callback; it is not "
                       "handed to the plugin again until a reload (SIGHUP)"},
                      {"request_id", request.request_id}});
      return net::Response::text(500, "callback not handled: it crashed the plugin before\n");
    }
  }
  jobs::InflightCallback in_flight(deaths ? deaths->journal() : nullptr, digest);
  std::future<plugins::CallResult> pending = provider->instance->handle_callback(std::move(call));
  if (pending.wait_for(context.plugin_wait) != std::future_status::ready) {
    // The plugin keeps the call; whatever it answers later is dropped with the future.
    ops::log_warn("callback_timed_out", {{"tenant", tenant_id},
                                         {"provider", provider_name},
                                         {"wait_ms", context.plugin_wait.count()},
                                         {"request_id", request.request_id}});
    return retry_later(503, "the plugin did not answer in time; retry later\n");
  }
  plugins::CallResult result = pending.get();
  if (!result.ok()) {
    ops::log_warn("callback_failed", {{"tenant", tenant_id},
                                      {"provider", provider_name},
                                      {"status", plugins::to_string(result.status)},
                                      {"detail", result.detail},
                                      {"request_id", request.request_id}});
    const int status = status_for_failed_call(result.status);
    if (status == 503) return retry_later(status, "callback not handled; retry later\n");
    return net::Response::text(status, "callback not handled\n");
  }

  orders::CallbackOutcome outcome = context.orders->handle_callback_result(
      tenant_id, provider_name, result.json, order ? &*order : nullptr);
  switch (outcome.status) {
    case orders::CallbackOutcome::Status::invalid_result:
      ops::log_error("callback_result_invalid", {{"tenant", tenant_id},
                                                 {"provider", provider_name},
                                                 {"error", outcome.error},
                                                 {"request_id", request.request_id}});
      return net::Response::text(502, "the plugin's answer was not understood\n");
    case orders::CallbackOutcome::Status::store_error:
      ops::log_error("callback_not_stored", {{"tenant", tenant_id},
                                             {"provider", provider_name},
                                             {"error", outcome.error},
                                             {"request_id", request.request_id}});
      return retry_later(503, "not stored; retry later\n");
    case orders::CallbackOutcome::Status::duplicate:
    case orders::CallbackOutcome::Status::ok:
      break;
  }
  ops::log_info("callback",
                {{"tenant", tenant_id},
                 {"provider", provider_name},
                 {"event_id", outcome.event_id},
                 {"duplicate", outcome.status == orders::CallbackOutcome::Status::duplicate},
                 {"updates", outcome.updates.size()},
                 {"status", outcome.reply_status},
                 {"request_id", request.request_id}});
  // An update that names no order of this tenant and provider, or that the order refuses, is
  // answered as the plugin says but changes nothing: said once each, so that an operator can see
  // a vendor reporting ids the store does not know (an order purged, or a callback that came
  // before the invitation's answer was stored).
  for (const auto& update : outcome.updates) {
    using Status = orders::ApplyResult::Status;
    if (update.status != Status::not_found && update.status != Status::invalid) continue;
    ops::log_warn("callback_update_not_applied",
                  {{"tenant", tenant_id},
                   {"provider", provider_name},
                   {"event_id", outcome.event_id},
                   {"order", update.order_id},
                   {"reason", update.status == Status::not_found ? "no such order" : "invalid"},
                   {"detail", update.message},
                   {"request_id", request.request_id}});
  }
  for (const auto& dropped : outcome.dropped_headers) {
    ops::log_warn("callback_reply_header_dropped", {{"tenant", tenant_id},
                                                    {"provider", provider_name},
                                                    {"header", dropped},
                                                    {"request_id", request.request_id}});
  }
  net::Response response;
  response.status = outcome.reply_status;
  response.body = outcome.reply_body;
  response.content_type = "text/plain; charset=utf-8";
  // Only allow-listed, clean headers are left (orders::refuse_reply_header).
  for (auto& [name, value] : outcome.reply_headers) {
    if (net::iequals(name, "Content-Type"))
      response.content_type = value;
    else
      response.headers.emplace_back(name, value);
  }
  // The reply is for the vendor's server. A browser sent to the URL must not run it as this
  // daemon's page, whatever Content-Type the plugin chose.
  response.headers.emplace_back("Content-Security-Policy", "sandbox; default-src 'none'");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return response;
}

}  // namespace ttb::http
