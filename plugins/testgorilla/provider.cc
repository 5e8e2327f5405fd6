#include "provider.h"

#include <utility>

#include "config.h"

namespace ttb::testgorilla {
namespace {

using nlohmann::json;
using sdk::Call;

// Vendor strings may hold invalid UTF-8; never let that throw while answering.
std::string to_text(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

TestGorillaProvider::TestGorillaProvider(sdk::Host host, std::string_view config_json)
    : sdk::Provider(host), api_(host, parse_config(config_json)) {}

void TestGorillaProvider::list_tests(Call call) {
  fetch_assessments_page(0, std::make_shared<json>(json::array()), std::move(call));
}

void TestGorillaProvider::fetch_assessments_page(int page, const std::shared_ptr<json>& tests,
                                                 Call call) {
  api_.list_assessments(
      page * kPageSize, std::move(call), [this, page, tests](const json& answer, Call c) {
        append_assessments(answer, *tests);
        const std::size_t seen = static_cast<std::size_t>(page) * kPageSize +
                                 (answer.contains("results") ? answer["results"].size() : 0);
        if (!has_more(answer, seen)) {
          c.ok(to_text({{"tests", *tests}}));
          return;
        }
        if (page + 1 >= kMaxPages)
          throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
                           "TestGorilla's assessment list has more than " +
                               std::to_string(kMaxPages) + " pages");
        fetch_assessments_page(page + 1, tests, std::move(c));
      });
}

void TestGorillaProvider::create_order(std::string_view request_json, Call call) {
  OrderRequest order = parse_order_request(request_json);
  auto sent = [this, order](const json& candidature, bool invited_now, const Call& c) {
    OrderRef ref = ref_from_candidature(order.order_id, order.assessment_id, candidature);
    log(TTB_LOG_INFO, std::string(invited_now ? "invited" : "found already invited") +
                          " the candidate of order " + order.order_id + " in assessment " +
                          order.assessment_id + " (TestGorilla candidature " + ref.candidature_id +
                          ")");
    // The candidature as it stands (a retried invite may find it started or even completed;
    // the results then come with the next poll).
    json update = map_candidature(candidature, std::nullopt, ref, "");
    if (!update.contains("status") || update["status"] == "completed") {
      update["status"] = "sent";
      update["summary"] = "Invitation sent.";
      update["score"] = nullptr;
      update["details"] = json::object();
    }
    c.ok(to_text(update));
  };
  // Look first: a retry of an invite whose answer was lost must not invite again.
  find(order.assessment_id, "", order.email, 0, 0, std::move(call),
       [this, order, sent](std::optional<json> existing, Call c) {
         if (existing) {
           sent(*existing, false, c);
           return;
         }
         api_.invite(order.assessment_id, build_invite_body(order), std::move(c),
                     [this, order, sent](const json&, Call c2) {
                       // The invite's answer is not documented; the list is, so read the new
                       // candidature from there.
                       find(order.assessment_id, "", order.email, 0, 0, std::move(c2),
                            [order, sent](std::optional<json> created, const Call& c3) {
                              if (!created)
                                throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
                                                 "TestGorilla accepted the invitation of order " +
                                                     order.order_id +
                                                     " but does not list the candidate yet");
                              sent(*created, true, c3);
                            });
                     });
       });
}

void TestGorillaProvider::handle_callback(const sdk::CallbackRequest& request, Call call) {
  log(TTB_LOG_WARN,
      "refused a callback: TestGorilla sends none (path: " + request.path.substr(0, 200) + ")");
  call.ok(sdk::CallbackReply(404)
              .json_body(R"({"error":"TestGorilla results are polled; no callbacks are taken"})")
              .to_json());
}

void TestGorillaProvider::fetch_order(std::string_view order_json, Call call) {
  OrderRef order = parse_order_context(order_json);
  find(
      order.assessment_id, order.candidature_id, "", 0, 0, std::move(call),
      [this, order](std::optional<json> candidature, Call c) {
        if (!candidature) {
          c.ok(to_text(candidature_gone_update(order)));
          return;
        }
        OrderRef ref = order;
        if (ref.test_taker_id.empty())
          ref.test_taker_id =
              ref_from_candidature(order.order_id, order.assessment_id, *candidature).test_taker_id;
        if (candidature_status(*candidature) != "completed" || ref.test_taker_id.empty()) {
          c.ok(to_text(
              map_candidature(*candidature, std::nullopt, ref, api_.config().report_url_template)));
          return;
        }
        api_.list_results(
            ref.assessment_id, ref.test_taker_id, std::move(c),
            [this, ref, candidature = *candidature](const json& results, const Call& c2) {
              c2.ok(to_text(
                  map_candidature(candidature, results, ref, api_.config().report_url_template)));
            });
      });
}

void TestGorillaProvider::cancel_order(std::string_view order_json, Call call) {
  OrderRef order = parse_order_context(order_json);
  api_.delete_candidature(
      order.candidature_id, std::move(call), [this, order](const json&, const Call& c) {
        log(TTB_LOG_INFO, "cancelled the invitation of order " + order.order_id);
        c.ok(to_text(cancelled_update(order)));
      });
}

void TestGorillaProvider::find(const std::string& assessment_id, const std::string& candidature_id,
                               const std::string& email, int page, std::size_t seen, Call call,
                               OnFound done) {
  api_.list_candidatures(
      assessment_id, email, page * kPageSize, std::move(call),
      [this, assessment_id, candidature_id, email, page, seen, done = std::move(done)](json answer,
                                                                                       Call c) {
        if (auto hit = find_candidature(answer, candidature_id, email)) {
          done(std::move(hit), std::move(c));
          return;
        }
        const std::size_t now_seen = seen + answer["results"].size();
        if (!has_more(answer, now_seen)) {
          done(std::nullopt, std::move(c));
          return;
        }
        if (page + 1 >= kMaxPages)
          throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
                           "TestGorilla's candidate list of assessment " + assessment_id +
                               " has more than " + std::to_string(kMaxPages) + " pages");
        find(assessment_id, candidature_id, email, page + 1, now_seen, std::move(c), done);
      });
}

}  // namespace ttb::testgorilla
