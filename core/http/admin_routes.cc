#include "http/admin_routes.h"

#include <charconv>
#include <limits>
#include <string_view>

#include <nlohmann/json.hpp>

#include "admin/operator_actions.h"
#include "admin/overview.h"
#include "admin/record_json.h"
#include "admin/record_queries.h"
#include "teamtailor/crypto.h"

namespace ttb::http {
namespace {

using nlohmann::json;

constexpr int kDefaultOrderLimit = 50;
constexpr int kDefaultJobLimit = 100;
constexpr int kMaxLimit = 1000;

// Every answer may name a candidate (an order's page) or a tenant: no cache keeps it.
net::Response json_response(int status, const json& body) {
  net::Response r =
      net::Response::json(status, body.dump(-1, ' ', false, json::error_handler_t::replace));
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return r;
}

net::Response api_error(int status, const std::string& message) {
  return json_response(status, {{"error", message}});
}

net::Response store_unavailable(const store::Error& error) {
  return api_error(503,
                   "the store cannot be read right now (" + error.message + "); try again shortly");
}

// Everything a request of the API needs, shared by its handlers.
struct Api {
  OperatorApiContext context;

  store::TimePoint now() const { return context.clock(); }
  admin::Outages outages() const { return context.outages ? context.outages() : admin::Outages{}; }

  // Who may call: nullopt when the request may go on, else the answer that refuses it.
  std::optional<net::Response> refuse(const net::Request& request, bool changes_state) {
    if (context.token.empty()) {
      if (!context.unix_socket) {
        return api_error(403, "the operator API needs admin.token_file in the main config");
      }
      // The socket file's mode is the boundary for a local client. A browser behind a proxy to
      // the socket is not such a client: any site it visits may post here. So a browser's change
      // needs its session's CSRF token, as with a token; scripts and the CLI need nothing.
      if (!changes_state || !from_browser(request)) return std::nullopt;
      return refuse_without_csrf(request);
    }
    const std::string client = client_key(request);
    if (auto limited = refuse_if_limited(*context.auth_failures, client)) {
      return too_many(*limited);
    }
    if (const auto bearer = bearer_token(request)) {
      if (context.token.equals(*bearer)) {
        return std::nullopt;  // a browser never sends Bearer on its own: no CSRF token needed
      }
      context.auth_failures->failed(client, "bad admin token");
      return unauthorized("the admin token is not valid; send the one in admin.token_file");
    }
    if (!context.sessions->csrf_of(cookie_value(request, kSessionCookie))) {
      return unauthorized(
          "not logged in; send Authorization: Bearer <admin token> or log in with POST "
          "/api/session");
    }
    return changes_state ? refuse_without_csrf(request) : std::nullopt;
  }

  // A browser names where a request comes from (Sec-Fetch-Site, Origin); curl and the CLI do not.
  static bool from_browser(const net::Request& request) {
    return request.header("Sec-Fetch-Site").has_value() || request.header("Origin").has_value();
  }

  // A change asked through a console session: the session's CSRF token must come with it.
  std::optional<net::Response> refuse_without_csrf(const net::Request& request) {
    const auto csrf = context.sessions->csrf_of(cookie_value(request, kSessionCookie));
    if (!csrf) return unauthorized("not logged in; log in with POST /api/session");
    if (!teamtailor::equal_constant_time(request.header("X-CSRF-Token").value_or(""), *csrf)) {
      return api_error(403,
                       "missing or wrong X-CSRF-Token; send the csrf value of your session "
                       "(GET /api/session)");
    }
    return std::nullopt;
  }

  static net::Response unauthorized(const std::string& message) {
    net::Response r = api_error(401, message);
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"ttbridge-admin\"");
    return r;
  }

  // The limiter's 429, as the API's JSON error.
  static net::Response too_many(const net::Response& limited) {
    net::Response r = api_error(429,
                                "too many failed logins from this address; try again after "
                                "the Retry-After seconds");
    r.headers.insert(r.headers.end(), limited.headers.begin(), limited.headers.end());
    return r;
  }
};

using ApiHandler = std::function<net::Response(Api&, net::Request&)>;

net::Handler guarded(const std::shared_ptr<Api>& api, bool changes_state, ApiHandler handler) {
  return [api, changes_state, handler = std::move(handler)](net::Request& request) {
    if (auto refused = api->refuse(request, changes_state)) return std::move(*refused);
    return handler(*api, request);
  };
}

// A query parameter as a limit in [1, kMaxLimit]; nullopt after setting `error`.
std::optional<int> limit_of(const net::Request& request, int fallback, std::string& error) {
  const auto it = request.query.find("limit");
  if (it == request.query.end() || it->second.empty()) return fallback;
  int value = 0;
  const std::string& text = it->second;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1 || value > kMaxLimit) {
    error = "limit must be a whole number from 1 to " + std::to_string(kMaxLimit);
    return std::nullopt;
  }
  return value;
}

std::string query_of(const net::Request& request, const std::string& name) {
  const auto it = request.query.find(name);
  return it == request.query.end() ? std::string() : it->second;
}

// "1"/"true" turn a flag on; absent, "" and "0" leave it off.
bool flag_of(const net::Request& request, const std::string& name) {
  const std::string value = query_of(request, name);
  return value == "1" || value == "true";
}

// --- session ---------------------------------------------------------------------------------

net::Response login(Api& api, net::Request& request) {
  OperatorApiContext& c = api.context;
  if (c.token.empty() && !c.unix_socket) {
    return api_error(403, "the operator API needs admin.token_file in the main config");
  }
  const std::string client = client_key(request);
  // JSON only: a page on another site can send a form or a text/plain POST here without the
  // browser asking first; 20 bad logins would lock every client of this address out (the
  // console's own scripts on loopback included), and on a token-less socket each would open a
  // session. application/json needs a preflight, which the listener never grants.
  const std::string type = request.header("Content-Type").value_or("");
  if (!net::iequals(std::string_view(type).substr(0, type.find(';')), "application/json")) {
    return api_error(415, c.token.empty()
                              ? "send {} as application/json"
                              : "send {\"token\": \"<admin token>\"} as application/json");
  }
  if (!c.token.empty()) {
    if (auto limited = refuse_if_limited(*c.auth_failures, client)) return Api::too_many(*limited);
    const json body = json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.contains("token") || !body["token"].is_string()) {
      return api_error(400, "send {\"token\": \"<admin token>\"} as the JSON body");
    }
    if (!c.token.equals(body["token"].get<std::string>())) {
      c.auth_failures->failed(client, "bad admin token at login");
      return Api::unauthorized("wrong admin token; use the one in admin.token_file");
    }
  }
  const AdminSessions::Session session = c.sessions->open();
  net::Response r = json_response(200, {{"csrf", session.csrf}});
  r.headers.emplace_back("Set-Cookie", session_cookie_header(session.id));
  return r;
}

net::Response session_state(Api& api, net::Request& request) {
  OperatorApiContext& c = api.context;
  if (c.token.empty() && !c.unix_socket) {
    return api_error(403, "the operator API needs admin.token_file in the main config");
  }
  const auto csrf = c.sessions->csrf_of(cookie_value(request, kSessionCookie));
  if (!csrf) return Api::unauthorized("not logged in; log in with POST /api/session");
  return json_response(200, {{"csrf", *csrf}});
}

net::Response logout(Api& api, net::Request& request) {
  api.context.sessions->close(cookie_value(request, kSessionCookie));
  net::Response r = json_response(200, {{"logged_out", true}});
  r.headers.emplace_back("Set-Cookie", session_cookie_header(""));
  return r;
}

// --- reads -----------------------------------------------------------------------------------

net::Response overview(Api& api, net::Request&) {
  auto directory = api.context.tenants->current();
  auto out =
      admin::overview_json(*api.context.store, directory->all().size(), api.now(), api.outages());
  if (!out) return store_unavailable(out.error());
  return json_response(200, *out);
}

net::Response tenant_list(Api& api, net::Request&) {
  auto queues = api.context.store->queue_by_provider();
  if (!queues) return store_unavailable(queues.error());
  auto directory = api.context.tenants->current();
  return json_response(200, admin::tenants_json(*directory, *queues, api.now(), api.outages()));
}

net::Response order_list(Api&, net::Request& request, store::Store& store) {
  std::string error;
  const auto limit = limit_of(request, kDefaultOrderLimit, error);
  if (!limit) return api_error(400, error);
  store::OrderFilter filter(query_of(request, "tenant"), query_of(request, "status"), *limit);
  if (!filter.status.empty() && !admin::is_order_status(filter.status)) {
    return api_error(400,
                     "status must be one of received, invited, in_progress, completed, "
                     "failed");
  }
  filter.email = query_of(request, "email");
  filter.before_id = query_of(request, "before");
  for (const auto& [name, end_of_day] : {std::pair{"since", false}, std::pair{"until", true}}) {
    const std::string text = query_of(request, name);
    if (text.empty()) continue;
    const auto bound = admin::parse_time_bound(text, end_of_day);
    if (!bound) {
      return api_error(400, std::string(name) +
                                " must be a date (2026-11-30) or a UTC time "
                                "(2026-11-30T05:20:00Z)");
    }
    (end_of_day ? filter.created_until : filter.created_since) = *bound;
  }
  const auto listed = store.list_orders(filter);
  if (!listed) return store_unavailable(listed.error());
  json orders = json::array();
  for (const auto& order : *listed) orders.push_back(admin::order_json(order));
  const bool full = static_cast<int>(listed->size()) == *limit;
  return json_response(200, {{"orders", std::move(orders)},
                             {"next_before", full ? json(listed->back().id) : json(nullptr)}});
}

net::Response order_detail(Api& api, net::Request& request) {
  const std::string& id = request.params.at("id");
  auto page = admin::order_page(*api.context.store, id, admin::PersonalData::include);
  if (!page && page.failed_with(store::Error::Code::not_found)) {
    return api_error(404, "no order " + id + " in the store");
  }
  if (!page) return store_unavailable(page.error());
  return json_response(200, *page);
}

net::Response job_list(Api& api, net::Request& request) {
  std::string error;
  const auto limit = limit_of(request, kDefaultJobLimit, error);
  if (!limit) return api_error(400, error);
  admin::JobQuery query;
  query.dead_only = flag_of(request, "dead");
  query.include_done = flag_of(request, "all");
  query.tenant = query_of(request, "tenant");
  query.order_id = query_of(request, "order");
  query.limit = *limit;
  const auto jobs = admin::list_jobs(*api.context.store, query);
  if (!jobs) return store_unavailable(jobs.error());
  json out = json::array();
  for (const auto& job : *jobs) out.push_back(admin::job_json(job));
  return json_response(200, {{"jobs", std::move(out)}});
}

// --- actions ---------------------------------------------------------------------------------

net::Response action_answer(const admin::ActionOutcome& outcome, const json& done) {
  using Status = admin::ActionOutcome::Status;
  switch (outcome.status) {
    case Status::done:
      return json_response(200, done);
    case Status::not_found:
      return api_error(404, outcome.message);
    case Status::conflict:
      return api_error(409, outcome.message);
    case Status::store_error:
      break;
  }
  return api_error(503, outcome.message + "; try again shortly");
}

net::Response retry_job(Api& api, net::Request& request) {
  const std::string& text = request.params.at("id");
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) {
    return api_error(404, "no job " + text + "; job ids are positive numbers");
  }
  const admin::ActionOutcome outcome =
      admin::retry_dead_job(*api.context.orders, id, "the operator API");
  return action_answer(outcome, {{"job", outcome.job ? admin::job_json(*outcome.job) : json()}});
}

net::Response replay_order(Api& api, net::Request& request) {
  const std::string& id = request.params.at("id");
  const json body = json::parse(request.body, nullptr, false);
  const std::string step_text =
      body.is_object() && body.contains("step") && body["step"].is_string()
          ? body["step"].get<std::string>()
          : std::string();
  const auto step = store::parse_job_kind(step_text);
  if (!step || (*step != store::JobKind::invite && *step != store::JobKind::push &&
                *step != store::JobKind::poll)) {
    return api_error(400, "send {\"step\": \"invite\" | \"push\" | \"poll\"} as the JSON body");
  }
  const admin::ActionOutcome outcome = admin::replay_step(*api.context.orders, id, *step);
  if (outcome.status != admin::ActionOutcome::Status::done) return action_answer(outcome, {});
  const auto order = api.context.store->get_order(id);
  if (!order) return store_unavailable(order.error());
  json done = {{"order", admin::order_json(*order)}};
  if (outcome.job) done["job"] = admin::job_json(*outcome.job);
  return json_response(200, done);
}

}  // namespace

void add_operator_api(net::Router& router, OperatorApiContext context) {
  if (!context.clock) context.clock = [] { return std::chrono::system_clock::now(); };
  if (!context.sessions) context.sessions = std::make_shared<AdminSessions>();
  if (!context.auth_failures) {
    context.auth_failures = std::make_shared<AuthFailureLimiter>(AuthFailureLimits{});
  }
  auto api = std::make_shared<Api>(Api{std::move(context)});

  router.add("POST", "/api/session", [api](net::Request& r) { return login(*api, r); });
  router.add("GET", "/api/session", [api](net::Request& r) { return session_state(*api, r); });
  router.add("DELETE", "/api/session", guarded(api, true, logout));

  router.add("GET", "/api/overview", guarded(api, false, overview));
  router.add("GET", "/api/tenants", guarded(api, false, tenant_list));
  router.add("GET", "/api/orders", guarded(api, false, [](Api& a, net::Request& r) {
               return order_list(a, r, *a.context.store);
             }));
  router.add("GET", "/api/orders/{id}", guarded(api, false, order_detail));
  router.add("GET", "/api/jobs", guarded(api, false, job_list));
  router.add("GET", "/api/stats", guarded(api, false, [](Api& a, net::Request&) {
               return json_response(200, a.context.activity->to_json());
             }));

  router.add("POST", "/api/jobs/{id}/retry", guarded(api, true, retry_job));
  router.add("POST", "/api/orders/{id}/replay", guarded(api, true, replay_order));
}

}  // namespace ttb::http
