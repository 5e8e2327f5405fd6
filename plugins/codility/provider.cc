#include "provider.h"

#include <optional>
#include <utility>

#include "callback_token.h"
#include "config.h"
#include "ttbridge/json_depth.hpp"

namespace ttb::codility {
namespace {

using nlohmann::json;
using sdk::Call;

// Vendor strings may hold invalid UTF-8; never let that throw while answering.
std::string to_text(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// The answer to a callback that was refused: no event id and no updates.
std::string refused(int http_status, std::string_view body) {
  return sdk::CallbackReply(http_status).json_body(body).to_json();
}

}  // namespace

CodilityProvider::CodilityProvider(sdk::Host host, std::string_view config_json)
    : sdk::Provider(host),
      api_(host, parse_config(config_json)),
      callback_key_(callback_key(api_.config())) {}

void CodilityProvider::list_tests(Call call) {
  auto tests = std::make_shared<json>(json::array());
  fetch_tests_page(first_tests_page_url(api_.config().base_url), 1, tests, std::move(call));
}

void CodilityProvider::create_order(std::string_view request_json, Call call) {
  OrderRequest order = parse_order_request(request_json);
  // Checked before any request, so a bad callback URL never reaches Codility.
  callback_url_for(order.callback_url, callback_token(callback_key_, order.order_id));
  // The engine repeats create_order when it never recorded the answer (a timeout, a crash), and
  // Codility has no idempotency key: a second invite would be a second session and a second
  // e-mail. Our order id is the invite's candidate id, so a session that carries it is the
  // invite already made.
  find_or_invite(order, sessions_lookup_url(api_.config().base_url, order.test_id, order.order_id),
                 1, std::move(call));
}

void CodilityProvider::find_or_invite(const OrderRequest& order, const std::string& url, int page,
                                      Call call) {
  api_.get_sessions_page(
      url, std::move(call), [this, order, url, page](std::optional<json> list, Call c) {
        if (!list) {
          log(TTB_LOG_WARN, "Codility has no session list for test " + order.test_id +
                                "; inviting order " + order.order_id +
                                " without the duplicate check");
          invite(order, std::move(c));
          return;
        }
        if (auto session = find_order_session(*list, order.order_id)) {
          OrderRef ref{order.order_id, session_id_of(*session)};
          log(TTB_LOG_INFO, "order " + order.order_id + " already has Codility session " +
                                ref.session_id + "; not inviting again");
          c.ok(to_text(map_session(*session, ref)));
          return;
        }
        auto next = next_page_url(*list, api_.config().base_url, url);
        if (!next || page >= kMaxLookupPages) {
          invite(order, std::move(c));
          return;
        }
        find_or_invite(order, *next, page + 1, std::move(c));
      });
}

void CodilityProvider::invite(const OrderRequest& order, Call call) {
  const std::string url =
      callback_url_for(order.callback_url, callback_token(callback_key_, order.order_id));
  api_.invite(order.test_id, build_invite_body(order, url), std::move(call),
              [this, order](const json& answer, const Call& c) {
                json update = invite_update(order, answer);
                log(TTB_LOG_INFO, "invited the candidate of order " + order.order_id + " to test " +
                                      order.test_id + " (Codility session " +
                                      update["vendor_order_id"].get<std::string>() + ")");
                c.ok(to_text(update));
              });
}

void CodilityProvider::handle_callback(const sdk::CallbackRequest& request, Call call) {
  // Authenticate before anything else: the path must carry the token of the order it names.
  // The body is read only for the session id, and the session itself is re-read from Codility.
  if (request.method != "POST") {
    call.ok(refused(405, R"({"error":"method not allowed"})"));
    return;
  }
  auto path = parse_callback_path(request.path);
  if (!path || !token_matches(callback_key_, path->order_id, path->token)) {
    log(TTB_LOG_WARN,
        path ? "rejected a callback for order " + path->order_id + ": wrong callback token"
             : "rejected a callback without an order token (path: " + request.path.substr(0, 200) +
                   ")");
    call.ok(refused(401, R"({"error":"unauthorized"})"));
    return;
  }
  json body = sdk::json_nests_deeper_than(request.body, sdk::kMaxVendorJsonDepth)
                  ? json(json::value_t::discarded)
                  : json::parse(request.body, nullptr, false);
  std::string session_id = body.is_discarded() ? "" : callback_session_id(body);
  if (session_id.empty()) {
    call.ok(refused(400, R"({"error":"the callback names no session"})"));
    return;
  }
  const std::string order_id = path->order_id;
  api_.get_session(session_id, std::move(call),
                   [this, order_id, session_id](std::optional<json> s, const Call& c) {
                     if (!s) {
                       c.ok(refused(404, R"({"error":"unknown session"})"));
                       return;
                     }
                     // The token proves the order; Codility's own record must prove the session is
                     // that order's, or a valid token could carry another candidate's result.
                     if (!session_belongs_to(*s, order_id)) {
                       log(TTB_LOG_WARN, "rejected a callback for order " + order_id +
                                             ": Codility session " + session_id +
                                             " belongs to another order");
                       c.ok(refused(403, R"({"error":"the session is not this order's"})"));
                       return;
                     }
                     json update = map_session(*s, OrderRef{order_id, session_id});
                     c.ok(sdk::CallbackReply(200)
                              .json_body(R"({"ok":true})")
                              .event_id(callback_event_id(update))
                              .update(to_text(update))
                              .to_json());
                   });
}

void CodilityProvider::fetch_order(std::string_view order_json, Call call) {
  OrderRef order = parse_order_context(order_json);
  api_.get_session(order.session_id, std::move(call),
                   [order](std::optional<json> s, const Call& c) {
                     c.ok(to_text(s ? map_session(*s, order) : gone_update(order)));
                   });
}

void CodilityProvider::fetch_tests_page(const std::string& url, int page,
                                        const std::shared_ptr<json>& tests, Call call) {
  api_.get_page(
      url, "list the tests", std::move(call), [this, url, page, tests](const json& answer, Call c) {
        append_invitable_tests(answer, *tests);
        auto next = next_page_url(answer, api_.config().base_url, url);
        if (!next) {
          c.ok(to_text({{"tests", *tests}}));
          return;
        }
        if (page >= kMaxTestPages)
          throw sdk::Error(
              TTB_STATUS_VENDOR_UNAVAILABLE,
              "Codility's test list has more than " + std::to_string(kMaxTestPages) + " pages");
        fetch_tests_page(*next, page + 1, tests, std::move(c));
      });
}

}  // namespace ttb::codility
