// GET /reports/{token}: the stable link of an order's report or attachment on the result card
// (docs/security.md, "Report links"). The token is the only credential: it names the tenant, the
// order and the document under the operator's key. The answer is a redirect to a fresh vendor
// link, or the document's bytes, as the provider's plugin gives them (fetch_document): shown in
// the browser when their type runs no script, else downloaded. A plugin without fetch_document
// gets the stored vendor link served as it is.

#include <future>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "http/partner_routes_impl.h"
#include "http/report_links.h"
#include "net/http_types.h"
#include "ops/log.h"
#include "orders/order_json.h"
#include "orders/result_view.h"
#include "teamtailor/crypto.h"

namespace ttb::http {
namespace {

using nlohmann::json;

// The same answer for a token that does not verify and for an order that is gone, so that the
// route tells an attacker nothing about which ids exist.
constexpr std::string_view kNoSuchReport = "No such report.\n";
constexpr std::string_view kRetryAfterSeconds = "30";

// A link we may send a browser to: http(s), printable ASCII only (no header injection).
bool is_redirectable(std::string_view url) {
  if (!url.starts_with("https://") && !url.starts_with("http://")) return false;
  if (url.size() > 8192) return false;
  for (char c : url) {
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

net::Response private_response(net::Response response) {
  // A report is personal data: no cache may keep it, no Referer may carry the link on.
  response.headers.emplace_back("Cache-Control", "no-store");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  return response;
}

net::Response redirect_to(const std::string& url) {
  net::Response response = net::Response::text(302, "The report is at " + url + "\n");
  response.headers.emplace_back("Location", url);
  return private_response(std::move(response));
}

net::Response unavailable(int status, std::string body) {
  net::Response response = net::Response::text(status, std::move(body));
  if (status == 503) response.headers.emplace_back("Retry-After", std::string(kRetryAfterSeconds));
  return private_response(std::move(response));
}

// body_base64 is standard base64 (with padding); the decoder at hand reads base64url.
std::optional<std::string> decode_base64(std::string text) {
  while (!text.empty() && text.back() == '=') text.pop_back();
  for (char& c : text) {
    if (c == '+')
      c = '-';
    else if (c == '/')
      c = '_';
    else if (c == '-' || c == '_')
      return std::nullopt;
  }
  return teamtailor::base64url_decode(text);
}

// A content type we pass on: a plain "type/subtype[; params]" without control characters.
bool is_content_type(std::string_view type) {
  if (type.empty() || type.size() > 200 || type.find('/') == std::string_view::npos) return false;
  for (char c : type) {
    if (c < 0x20 || c >= 0x7f) return false;
  }
  return true;
}

// The type a browser may show on our origin, spelled as we send it; nullopt for any other. Only
// types that run no script: anything else (text/html, image/svg+xml, XML, …) would run a vendor's
// script as this daemon's page, on a link that needs no login, and is downloaded instead. The
// plugin's own spelling is never sent for these: a browser reads "text/plain;x=1, text/html" as
// HTML, its last type.
std::optional<std::string_view> shown_inline(std::string_view type) {
  if (type.find_first_of(",\"") != std::string_view::npos) return std::nullopt;
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  static constexpr std::string_view kInline[] = {"application/pdf", "image/png",  "image/jpeg",
                                                 "image/gif",       "image/webp", "text/plain"};
  for (std::string_view allowed : kInline) {
    if (net::iequals(type, allowed)) return allowed;
  }
  return std::nullopt;
}

// The plugin's answer: {"url", "expires_at_ms"?} or {"content_type", "body_base64"}.
std::optional<net::Response> document_response(const std::string& answer) {
  const json j = json::parse(answer, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  if (auto url = j.find("url"); url != j.end() && url->is_string()) {
    if (!is_redirectable(url->get<std::string>())) return std::nullopt;
    return redirect_to(url->get<std::string>());
  }
  auto type = j.find("content_type");
  auto body = j.find("body_base64");
  if (type == j.end() || body == j.end() || !type->is_string() || !body->is_string() ||
      !is_content_type(type->get<std::string>())) {
    return std::nullopt;
  }
  auto bytes = decode_base64(body->get<std::string>());
  if (!bytes) return std::nullopt;
  net::Response response;
  response.status = 200;
  response.content_type = type->get<std::string>();
  response.body = std::move(*bytes);
  if (const auto inline_type = shown_inline(response.content_type)) {
    // Our spelling of the type, then the plugin's parameters (a charset), which hold no comma.
    const std::size_t parameters = response.content_type.find(';');
    response.content_type =
        std::string(*inline_type) + (parameters == std::string::npos
                                         ? std::string()
                                         : response.content_type.substr(parameters));
    response.headers.emplace_back("Content-Disposition", "inline");
  } else {
    response.headers.emplace_back("Content-Disposition", "attachment");
    // Opened anyway (a browser that ignores the header), it runs nothing and loads nothing.
    response.headers.emplace_back("Content-Security-Policy", "sandbox; default-src 'none'");
  }
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return private_response(std::move(response));
}

// What the recruiter is told when the plugin could not give the document.
net::Response failed_fetch(plugins::CallStatus status) {
  switch (status) {
    case plugins::CallStatus::not_found:
      return unavailable(404, "The vendor has no such document (yet).\n");
    case plugins::CallStatus::rate_limited:
    case plugins::CallStatus::vendor_unavailable:
    case plugins::CallStatus::timeout:
    case plugins::CallStatus::cancelled:
    case plugins::CallStatus::crashed:
      return unavailable(503,
                         "The vendor cannot be reached right now; open the link again in a "
                         "minute.\n");
    default:
      return unavailable(502,
                         "The vendor did not give the document. The ttbridge operator can find "
                         "the reason in the log (event report_fetch_failed).\n");
  }
}

}  // namespace

net::Response serve_report(const PartnerRouteContext& context, net::Request& request) {
  const std::optional<ReportDocument> document =
      context.report_links ? context.report_links->verify(request.params["token"]) : std::nullopt;
  if (!document) {
    // Behind a proxy every browser has the proxy's address: a guesser who spent its budget must
    // not get the recruiters' valid links refused, so the budget is asked only now.
    return refuse_failed_credential(
        *context.auth_failures, client_key(request), "reports: a token that does not verify",
        private_response(net::Response::text(404, std::string(kNoSuchReport))));
  }

  auto order = context.orders->store().get_order(document->order_id);
  if (!order && !order.failed_with(store::Error::Code::not_found)) {
    ops::log_error("report_order_unreadable", {{"tenant", document->tenant},
                                               {"order", document->order_id},
                                               {"error", order.error().message},
                                               {"request_id", request.request_id}});
    return unavailable(503, "The report cannot be looked up right now; try again shortly.\n");
  }
  const orders::ResultView view =
      order ? orders::ResultView::from_json(order->result_json) : orders::ResultView{};
  const std::optional<std::string> stored = order && order->tenant == document->tenant
                                                ? stored_document_url(view, document->document)
                                                : std::nullopt;
  if (!stored) return private_response(net::Response::text(404, std::string(kNoSuchReport)));

  auto directory = context.tenants->current();
  const tenants::Tenant* tenant = directory->find(document->tenant);
  const tenants::ProviderEntry* provider = tenant ? tenant->provider(order->provider) : nullptr;
  if (!provider || !provider->instance) {
    return unavailable(503,
                       "The vendor of this report is not configured right now; try again "
                       "later.\n");
  }
  const bool is_report = document->document == kReportDocument;
  auto serve_stored = [&]() {
    if (!is_redirectable(*stored)) return unavailable(502, "The vendor's link is not usable.\n");
    return redirect_to(*stored);
  };
  if (!provider->instance->supports_fetch_document()) return serve_stored();

  json ask{{"document", is_report ? "report" : "attachment"},
           {"url", *stored},
           {"order", json::parse(orders::order_context_json(*order), nullptr, false)}};
  std::future<plugins::CallResult> pending = provider->instance->fetch_document(ask.dump());
  plugins::CallResult result;
  if (pending.wait_for(context.plugin_wait) == std::future_status::ready) {
    result = pending.get();
  } else {
    result.status = plugins::CallStatus::timeout;
    result.detail = "the plugin did not answer in time";
  }
  auto log_fetch = [&](ops::Level level, std::string_view event, std::string_view status,
                       std::string_view detail) {
    ops::log_event(level, event,
                   {{"tenant", document->tenant},
                    {"provider", order->provider},
                    {"order", document->order_id},
                    {"document", document->document},
                    {"status", status},
                    {"detail", detail},
                    {"request_id", request.request_id}});
  };
  if (result.status == plugins::CallStatus::unsupported) return serve_stored();
  if (!result.ok()) {
    log_fetch(ops::Level::warn, "report_fetch_failed", plugins::to_string(result.status),
              result.detail);
    return failed_fetch(result.status);
  }
  if (auto response = document_response(result.json)) {
    log_fetch(ops::Level::info, "report_served", "ok", "");
    return std::move(*response);
  }
  log_fetch(ops::Level::error, "report_fetch_failed", "invalid_answer",
            "neither a link nor the bytes");
  return unavailable(502, "The vendor's plugin gave an answer ttbridge does not understand.\n");
}

}  // namespace ttb::http
