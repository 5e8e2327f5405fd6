#include "provider.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>

#include "config.h"
#include "webhook_token.h"

namespace ttb::hackerrank {
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

HackerRankProvider::HackerRankProvider(sdk::Host host, std::string_view config_json)
    : sdk::Provider(host), api_(host, parse_config(config_json)) {}

void HackerRankProvider::list_tests(Call call) {
  auto tests = std::make_shared<json>(json::array());
  fetch_tests_page(first_tests_page_url(api_.config().base_url), 1, tests, std::move(call));
}

void HackerRankProvider::create_order(std::string_view request_json, Call call) {
  OrderRequest order = parse_order_request(request_json);
  std::string token = new_webhook_token();
  json body = build_invite_body(order, api_.config().send_email, token);
  api_.invite(order.test_id, body, std::move(call),
              [this, order, token](const json& answer, const Call& c) {
                json update = invite_update(order, answer, token);
                log(TTB_LOG_INFO, "invited the candidate of order " + order.order_id + " to test " +
                                      order.test_id + " (HackerRank candidate " +
                                      update["vendor_state"]["candidate_id"].get<std::string>() +
                                      ")");
                c.ok(to_text(update));
              });
}

void HackerRankProvider::handle_callback(const sdk::CallbackRequest& request, Call call) {
  // Authenticate before anything else: the body is not even parsed (we never trust it; the
  // state comes from re-fetching the candidate). The order context comes from the host, which
  // found the order named by the callback path (/callbacks/{tenant}/{provider}/orders/{id}).
  if (request.method != "POST") {
    call.ok(refused(405, R"({"error":"method not allowed"})"));
    return;
  }
  std::optional<OrderRef> order;
  if (!request.order_json.empty()) {
    try {
      order = parse_order_context(request.order_json);
    } catch (const sdk::Error&) {
      order.reset();  // an order we cannot read proves nothing: refused below like no order
    }
  }
  if (!order || !bearer_matches(request.headers, order->token)) {
    log(TTB_LOG_WARN, order ? "rejected a callback for order " + order->order_id +
                                  ": missing or wrong bearer token"
                            : "rejected a callback that names no known order (path: " +
                                  request.path.substr(0, 200) + ")");
    call.ok(refused(401, R"({"error":"unauthorized"})"));
    return;
  }
  refresh(*order, std::move(call),
          [](json update, const json& candidate, const OrderRef& ref, const Call& c) {
            const bool has_pdf = !update["attachments"].empty();
            c.ok(sdk::CallbackReply(200)
                     .json_body(R"({"ok":true})")
                     .event_id(callback_event_id(candidate, ref, has_pdf))
                     .update(to_text(update))
                     .to_json());
          });
}

void HackerRankProvider::fetch_order(std::string_view order_json, Call call) {
  OrderRef order = parse_order_context(order_json);
  refresh(order, std::move(call),
          [](const json& update, const json&, const OrderRef&, const Call& c) {
            c.ok(to_text(update));
          });
}

void HackerRankProvider::cancel_order(std::string_view order_json, Call call) {
  OrderRef order = parse_order_context(order_json);
  api_.cancel_invite(order.test_id, order.candidate_id, std::move(call),
                     [this, order](const json&, const Call& c) {
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

void HackerRankProvider::fetch_tests_page(const std::string& url, int page,
                                          const std::shared_ptr<json>& tests, Call call) {
  api_.get_page(url, std::move(call), [this, url, page, tests](const json& answer, Call c) {
    append_invitable_tests(answer, *tests);
    auto next = next_tests_page_url(answer, api_.config().base_url, url);
    if (!next) {
      c.ok(to_text({{"tests", *tests}}));
      return;
    }
    if (page >= kMaxPages)
      throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE, "HackerRank's test list has more than " +
                                                          std::to_string(kMaxPages) + " pages");
    fetch_tests_page(*next, page + 1, tests, std::move(c));
  });
}

std::int64_t HackerRankProvider::next_revision() {
  last_revision_ = std::max(host().now_ms(), last_revision_ + 1);
  return last_revision_;
}

void HackerRankProvider::refresh(const OrderRef& order, Call call, OnUpdate done) {
  // The update's revision: HackerRank gives a candidate no update time or version, and the
  // state written is always this re-fetch, so the moment it started orders the updates (a later
  // read never sees an older result); docs/protocols/hackerrank.md, "Re-scores".
  const std::int64_t read_at = next_revision();
  auto mapped = [order, read_at](const json& candidate, const std::optional<std::string>& pdf) {
    json update = map_candidate(candidate, order, pdf);
    update["revision"] = read_at;
    return update;
  };
  api_.get_candidate(order.test_id, order.candidate_id, std::move(call),
                     [this, order, mapped, done = std::move(done)](json candidate, Call c) {
                       auto status = candidate_status(candidate);
                       if (status != kStatusReportReady) {
                         done(mapped(candidate, std::nullopt), candidate, order, std::move(c));
                         return;
                       }
                       read_report(std::move(candidate), order, mapped, std::move(c), done);
                     });
}

void HackerRankProvider::read_report(json candidate, const OrderRef& order, const MapUpdate& mapped,
                                     Call call, const OnUpdate& done) {
  // The PDF link and the test (its cutoff) are read together: neither needs the other, so the
  // result reaches the card one round trip to HackerRank sooner. Both answers arrive on this
  // instance's strand, so the count needs no lock; the second one maps and finishes.
  struct Reads {
    Reads(json c, int answers) : candidate(std::move(c)), pending(answers) {}
    json candidate;
    std::optional<std::string> pdf;
    std::optional<json> test;
    int pending;
  };
  const bool graded = api_.config().cutoff_unit != CutoffUnit::off;
  auto reads = std::make_shared<Reads>(std::move(candidate), graded ? 2 : 1);
  auto finish = [this, reads, order, mapped, done](const Call& c) {
    if (--reads->pending > 0) return;
    json update = mapped(reads->candidate, reads->pdf);
    const auto cutoff = reads->test ? cutoff_of(*reads->test) : std::nullopt;
    if (cutoff) {
      if (auto grade = cutoff_grade(reads->candidate, *cutoff, api_.config().cutoff_unit))
        update["grade"] = *grade;
    }
    done(std::move(update), reads->candidate, order, c);
  };
  api_.get_pdf_link(order.test_id, order.candidate_id, call,
                    [reads, finish](const std::optional<std::string>& pdf, const Call& c) {
                      reads->pdf = pdf;
                      finish(c);
                    });
  if (!graded || call.done()) return;  // a refused request already failed the call
  api_.get_test(order.test_id, std::move(call),
                [reads, finish](const std::optional<json>& test, const Call& c) {
                  reads->test = test;
                  finish(c);
                });
}

}  // namespace ttb::hackerrank
