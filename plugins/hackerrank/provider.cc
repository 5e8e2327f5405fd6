// The HackerRank for Work provider: wires the ABI calls to HackerRank's API (hackerrank_api.h)
// and the pure mappings. Every function runs on the instance's strand, so no locks; every path
// completes its call exactly once (ttb::sdk::Call guarantees it, and an exception thrown in a
// step fails the call with that status).
//
// run_action is not offered (the host reports it as unsupported): HackerRank's v3 API documents
// no "resend invitation" call, and re-inviting with `force` would issue a new test link.

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "candidate_mapping.h"
#include "hackerrank_api.h"
#include "order_context.h"
#include "order_request.h"
#include "settings.h"
#include "test_listing.h"
#include "ttbridge/plugin.hpp"
#include "webhook_token.h"

namespace hackerrank {
namespace {

using nlohmann::json;
using ttb::sdk::Call;

// Vendor strings may hold invalid UTF-8; never let that throw while answering.
std::string to_text(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

json reply(int status, const std::string& body) {
  return {{"status", status},
          {"headers", json::array({json::array({"Content-Type", "application/json"})})},
          {"body", body}};
}

class HackerRankProvider final : public ttb::sdk::Provider {
 public:
  HackerRankProvider(ttb::sdk::Host host, std::string_view config_json)
      : ttb::sdk::Provider(host), api_(host, parse_settings(config_json)) {}

  void list_tests(Call call) override {
    auto tests = std::make_shared<json>(json::array());
    fetch_tests_page(first_tests_page_url(api_.settings().base_url), 1, tests, std::move(call));
  }

  void create_order(std::string_view request_json, Call call) override {
    OrderRequest order = parse_order_request(request_json);
    std::string token = new_webhook_token();
    json body = build_invite_body(order, api_.settings().send_email, token);
    api_.invite(order.test_id, body, std::move(call), [this, order, token](json answer, Call c) {
      json update = invite_update(order, answer, token);
      log(TTB_LOG_INFO, "invited the candidate of order " + order.order_id + " to test " +
                            order.test_id + " (HackerRank candidate " +
                            update["vendor_state"]["candidate_id"].get<std::string>() + ")");
      c.ok(to_text(update));
    });
  }

  void handle_callback(const ttb::sdk::CallbackRequest& request, Call call) override {
    // Authenticate before anything else: the body is not even parsed (we never trust it; the
    // state comes from re-fetching the candidate). The order context comes from the host, which
    // found the order named by the callback path (/callbacks/{tenant}/{provider}/orders/{id}).
    if (request.method != "POST") {
      call.ok(to_text({{"reply", reply(405, R"({"error":"method not allowed"})")},
                       {"updates", json::array()}}));
      return;
    }
    std::optional<OrderRef> order;
    if (!request.order_json.empty()) {
      try {
        order = parse_order_context(request.order_json);
      } catch (const ttb::sdk::Error&) {
        order.reset();
      }
    }
    if (!order || !bearer_matches(request.headers, order->token)) {
      log(TTB_LOG_WARN, order ? "rejected a callback for order " + order->order_id +
                                    ": missing or wrong bearer token"
                              : "rejected a callback that names no known order (path: " +
                                    request.path.substr(0, 200) + ")");
      call.ok(to_text(
          {{"reply", reply(401, R"({"error":"unauthorized"})")}, {"updates", json::array()}}));
      return;
    }
    refresh(*order, std::move(call),
            [](json update, const json& candidate, const OrderRef& ref, Call c) {
              const bool has_pdf = !update["attachments"].empty();
              json result = {{"reply", reply(200, R"({"ok":true})")},
                             {"event_id", callback_event_id(candidate, ref, has_pdf)},
                             {"updates", json::array({std::move(update)})}};
              c.ok(to_text(result));
            });
  }

  void fetch_order(std::string_view order_json, Call call) override {
    OrderRef order = parse_order_context(order_json);
    refresh(order, std::move(call),
            [](json update, const json&, const OrderRef&, Call c) { c.ok(to_text(update)); });
  }

  void cancel_order(std::string_view order_json, Call call) override {
    OrderRef order = parse_order_context(order_json);
    api_.cancel_invite(order.test_id, order.candidate_id, std::move(call),
                       [this, order](json, Call c) {
                         log(TTB_LOG_INFO, "cancelled the invitation of order " + order.order_id);
                         json update = {{"vendor_order_id", order.vendor_order_id()},
                                        {"status", "failed"},
                                        {"failure_reason", "cancelled"},
                                        {"score", nullptr},
                                        {"summary", "The HackerRank invitation was cancelled."},
                                        {"attachments", json::array()},
                                        {"details", json::object()},
                                        {"vendor_state", order.vendor_state()}};
                         if (!order.order_id.empty()) update["order_id"] = order.order_id;
                         c.ok(to_text(update));
                       });
  }

 private:
  using OnUpdate = std::function<void(json update, const json& candidate, const OrderRef&, Call)>;

  void fetch_tests_page(const std::string& url, int page, std::shared_ptr<json> tests, Call call) {
    api_.get_page(url, std::move(call), [this, url, page, tests](json answer, Call c) {
      append_invitable_tests(answer, *tests);
      auto next = next_tests_page_url(answer, api_.settings().base_url, url);
      if (!next) {
        c.ok(to_text({{"tests", *tests}}));
        return;
      }
      if (page >= kMaxPages)
        throw ttb::sdk::Error(
            TTB_STATUS_VENDOR_UNAVAILABLE,
            "HackerRank's test list has more than " + std::to_string(kMaxPages) + " pages");
      fetch_tests_page(*next, page + 1, tests, std::move(c));
    });
  }

  // Re-reads the candidate (the only state we trust) and, once the report exists, its PDF link;
  // then maps both to an order update.
  void refresh(const OrderRef& order, Call call, OnUpdate done) {
    api_.get_candidate(order.test_id, order.candidate_id, std::move(call),
                       [this, order, done = std::move(done)](json candidate, Call c) {
                         auto status = candidate_status(candidate);
                         if (status != kStatusReportReady) {
                           done(map_candidate(candidate, order, std::nullopt), candidate, order,
                                std::move(c));
                           return;
                         }
                         api_.get_pdf_link(order.test_id, order.candidate_id, std::move(c),
                                           [order, done, candidate = std::move(candidate)](
                                               std::optional<std::string> pdf, Call c2) {
                                             done(map_candidate(candidate, order, pdf), candidate,
                                                  order, std::move(c2));
                                           });
                       });
  }

  HackerRankApi api_;
};

}  // namespace
}  // namespace hackerrank

TTB_PLUGIN(hackerrank::HackerRankProvider, "hackerrank", "HackerRank for Work", "1.0.0")
