#include "provider.h"

#include <utility>

#include "report_document.h"
#include "signature.h"
#include "ttbridge/json_depth.hpp"

namespace ttb::checkr {
namespace {

using nlohmann::json;

constexpr int kMaxPackagePages = 50;  // 5,000 packages; a loop guard, not a business limit
constexpr std::size_t kMaxDocuments = 5;

// The answer to a delivery that was processed (or needs nothing): 200, so Checkr does not send it
// again, and the host remembers `event_id` to drop a repeat.
std::string received(const std::string& event_id, const json& updates = json::array()) {
  sdk::CallbackReply reply(200);
  reply.json_body(R"({"received":true})").event_id(event_id);
  for (const auto& update : updates) reply.update(update.dump());
  return reply.to_json();
}

// The answer to a delivery that was refused or not processed: no event id, so the host does not
// remember it and Checkr's redelivery gets through.
std::string refused(int http_status, std::string_view body) {
  return sdk::CallbackReply(http_status).json_body(body).to_json();
}

// The vendor's event time orders the updates of one order (docs/protocols/checkr.md,
// "Revisions"): an older event delivered after a newer one is then ignored by the engine, and a
// newer one may amend a final result (an adjudication, a dispute).
json with_revision(json update, std::optional<std::int64_t> revision) {
  if (revision) update["revision"] = *revision;
  return update;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

CheckrProvider::CheckrProvider(sdk::Host host, std::string_view config_json)
    : Provider(host),
      config_(parse_config(config_json)),
      api_(config_),
      mapping_{config_.score, config_.report_url_template} {}

// ---- plumbing -------------------------------------------------------------------------------

void CheckrProvider::send(const sdk::HttpRequest& request, std::string what, const sdk::Call& call,
                          OnJson on_ok, OnFailure on_fail) {
  host().http(request, call,
              [this, what = std::move(what), on_ok = std::move(on_ok),
               on_fail = std::move(on_fail)](const sdk::HttpResponse& response, const sdk::Call&) {
                json body;
                try {
                  body = answer_body(response, what, host().now_ms());
                } catch (const sdk::Error& e) {
                  return on_fail(e);
                }
                on_ok(std::move(body));
              });
}

void CheckrProvider::send(const sdk::HttpRequest& request, std::string what, const sdk::Call& call,
                          OnJson on_ok) {
  // Rethrown, the error reaches the SDK's HTTP callback, which fails the call with it.
  send(request, std::move(what), call, std::move(on_ok), [](const sdk::Error& e) { throw e; });
}

// ---- list_tests: every package, page by page ---------------------------------------------------

void CheckrProvider::list_tests(sdk::Call call) {
  list_page(1, std::make_shared<json>(json::array()), call);
}

void CheckrProvider::list_page(int page, const std::shared_ptr<json>& tests,
                               const sdk::Call& call) {
  // Pages are requested by number rather than by following next_href: the next URL is then built
  // from our own base_url, so a vendor answer can never send the API key to another host.
  send(api_.list_packages(page), "list packages", call,
       [this, page, tests, call](const json& body) {
         for (auto& test : tests_from_packages(body)) tests->push_back(std::move(test));
         if (has_next_page(body) && page < kMaxPackagePages)
           return list_page(page + 1, tests, call);
         call.ok(json{{"tests", *tests}}.dump());
       });
}

// ---- create_order: find or create the candidate, then invite ---------------------------------

void CheckrProvider::create_order(std::string_view request_json, sdk::Call call) {
  OrderRequest order = parse_order_request(request_json);

  // custom_id = our order id: a retry of this order (after a crash, a timeout) finds the
  // candidate it already created instead of making a duplicate, as Checkr recommends.
  send(api_.find_candidate(order.order_id), "look up the candidate", call,
       [this, order, call](json page) {
         if (auto data = page.find("data"); data != page.end() && data->is_array()) {
           for (const auto& cand : *data) {
             // Checked again here: an API that ignored the filter must not hand us someone else.
             if (text(cand, "custom_id") == order.order_id && !text(cand, "id").empty())
               return invite(order, text(cand, "id"), call);
           }
         }
         send(api_.create_candidate(candidate_body(order),
                                    idempotency_key("candidate", order.order_id)),
              "create the candidate", call, [this, order, call](const json& candidate) {
                std::string id = text(candidate, "id");
                if (id.empty())
                  throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE,
                                   "Checkr: the new candidate has no id");
                invite(order, id, call);
              });
       });
}

void CheckrProvider::invite(const OrderRequest& order, const std::string& candidate_id,
                            const sdk::Call& call) {
  // The Idempotency-Key comes from the order id: if we crash after Checkr created the invitation
  // but before the host stored our answer, the retried POST replays that invitation (Checkr keeps
  // keys 24 h) instead of sending the candidate a second one.
  send(api_.create_invitation(invitation_body(order, candidate_id, config_),
                              idempotency_key("invitation", order.order_id)),
       "create the invitation", call, [this, order, call](const json& invitation) {
         if (text(invitation, "id").empty())
           throw sdk::Error(TTB_STATUS_VENDOR_UNAVAILABLE, "Checkr: the new invitation has no id");
         json update = order_update(invitation, nullptr, mapping_);
         update["order_id"] = order.order_id;
         call.ok(update.dump());
       });
}

// ---- reading an order back --------------------------------------------------------------------

void CheckrProvider::load_report(const std::string& report_id, const sdk::Call& call,
                                 const OnJson& on_ok, const OnFailure& on_fail) {
  send(
      api_.get_report(report_id), "fetch the report", call,
      [this, call, on_ok, on_fail](json report) {
        auto docs = report.find("documents");
        auto ids = report.find("document_ids");
        bool embedded = docs != report.end() && docs->is_array();
        if (embedded || ids == report.end() || !ids->is_array() || ids->empty())
          return on_ok(std::move(report));

        // The include did not embed the documents: fetch them one after another.
        auto job = std::make_shared<DocumentFetch>();
        for (const auto& id : *ids)
          if (id.is_string() && job->ids.size() < kMaxDocuments)
            job->ids.push_back(id.get<std::string>());
        job->report = std::move(report);
        job->report["documents"] = json::array();
        fetch_documents(job, call, on_ok, on_fail);
      },
      on_fail);
}

void CheckrProvider::fetch_documents(const std::shared_ptr<DocumentFetch>& job,
                                     const sdk::Call& call, const OnJson& on_ok,
                                     const OnFailure& on_fail) {
  if (job->next == job->ids.size()) return on_ok(std::move(job->report));
  const std::string id = job->ids[job->next++];
  send(
      api_.get_document(id), "fetch a report document", call,
      [this, job, call, on_ok, on_fail](json document) {
        job->report["documents"].push_back(std::move(document));
        fetch_documents(job, call, on_ok, on_fail);
      },
      on_fail);
}

void CheckrProvider::load_order(const std::string& invitation_id,
                                const std::string& known_report_id, const sdk::Call& call,
                                const std::function<void(json, json)>& done,
                                const OnFailure& on_fail) {
  send(
      api_.get_invitation(invitation_id), "fetch the invitation", call,
      [this, known_report_id, call, done, on_fail](json invitation) {
        std::string report_id = text(invitation, "report_id");
        if (report_id.empty()) report_id = known_report_id;
        if (report_id.empty()) return done(std::move(invitation), nullptr);
        auto inv = std::make_shared<json>(std::move(invitation));
        load_report(
            report_id, call, [inv, done](json report) { done(std::move(*inv), std::move(report)); },
            on_fail);
      },
      on_fail);
}

void CheckrProvider::fetch_order(std::string_view order_json, sdk::Call call) {
  OrderContext order = parse_order_context(order_json);
  load_order(
      order.invitation_id, order.report_id, call,
      [this, order, call](const json& invitation, const json& report) {
        json update = order_update(invitation, report, mapping_);
        update["order_id"] = order.order_id;
        call.ok(update.dump());
      },
      [](const sdk::Error& e) { throw e; });
}

// ---- cancel_order: delete the invitation ------------------------------------------------------

void CheckrProvider::cancel_order(std::string_view order_json, sdk::Call call) {
  OrderContext order = parse_order_context(order_json);
  host().http(api_.delete_invitation(order.invitation_id), call,
              [this, order](const sdk::HttpResponse& response, const sdk::Call& call) {
                check_answer(response, "cancel the invitation", host().now_ms());
                // Checkr answers with the deleted invitation; an empty body is fine too.
                json invitation =
                    sdk::json_nests_deeper_than(response.body, sdk::kMaxVendorJsonDepth)
                        ? json()
                        : json::parse(response.body, nullptr, false);
                if (!invitation.is_object()) invitation = json{{"id", order.invitation_id}};
                if (text(invitation, "id").empty()) invitation["id"] = order.invitation_id;
                json update = order_update(invitation, nullptr, mapping_);
                update["order_id"] = order.order_id;
                update["status"] = "failed";
                update["failure_reason"] = "cancelled";
                update["summary"] = "invitation cancelled";
                call.ok(update.dump());
              });
}

// ---- handle_callback: verify, then re-fetch what the event names --------------------------------

CheckrProvider::OnFailure CheckrProvider::retry_later(const sdk::Call& call) const {
  return [this, call](const sdk::Error& e) {
    log(TTB_LOG_WARN,
        std::string("checkr callback not processed, Checkr will redeliver: ") + e.what());
    call.ok(refused(503, R"({"error":"temporarily unable to process the event"})"));
  };
}

void CheckrProvider::handle_callback(const sdk::CallbackRequest& request, sdk::Call call) {
  // Verified over the raw bytes before anything is parsed: an unsigned body never reaches the
  // JSON parser, let alone the re-fetch.
  auto signature = request.header("X-Checkr-Signature");
  if (!signature_is_valid(config_.webhook_key, request.body,
                          signature ? std::optional<std::string_view>(*signature) : std::nullopt)) {
    log(TTB_LOG_WARN, signature ? "checkr callback refused: X-Checkr-Signature does not match"
                                : "checkr callback refused: no X-Checkr-Signature header");
    return call.ok(refused(401, R"({"error":"invalid signature"})"));
  }

  json event = sdk::json_nests_deeper_than(request.body, sdk::kMaxVendorJsonDepth)
                   ? json()
                   : json::parse(request.body, nullptr, false);
  if (event.is_discarded() || !event.is_object())
    return call.ok(refused(400, R"({"error":"the body is not a JSON event"})"));
  const std::string event_id = text(event, "id");
  const std::string type = text(event, "type");
  std::string object_id;
  if (auto data = event.find("data"); data != event.end() && data->is_object())
    if (auto obj = data->find("object"); obj != data->end()) object_id = text(*obj, "id");

  // The event is only a trigger: deliveries repeat and arrive out of order, so the state written
  // is always the one re-fetched from Checkr now, never the one in the body.
  std::optional<std::int64_t> revision = parse_iso8601_ms(text(event, "created_at"));
  if (revision && *revision < 0) revision.reset();  // before 1970: not a time Checkr sends
  if (starts_with(type, "invitation.") && !object_id.empty())
    return on_invitation_event(event_id, type, object_id, revision, call);
  if (starts_with(type, "report.") && !object_id.empty())
    return on_report_event(event_id, object_id, revision, call);
  call.ok(received(event_id));  // candidate.*, package.*, ...
}

void CheckrProvider::on_invitation_event(const std::string& event_id, const std::string& type,
                                         const std::string& invitation_id,
                                         std::optional<std::int64_t> revision,
                                         const sdk::Call& call) {
  auto later = retry_later(call);
  load_order(
      invitation_id, "", call,
      [this, event_id, revision, call](const json& invitation, const json& report) {
        // Named by invitation id: our vendor_order_id. The report, if any, adds order_id.
        json update = with_revision(order_update(invitation, report, mapping_), revision);
        call.ok(received(event_id, json::array({update})));
      },
      [this, event_id, type, invitation_id, revision, call, later](const sdk::Error& e) {
        if (e.status() != TTB_STATUS_NOT_FOUND) return later(e);
        json updates = json::array();
        if (type == "invitation.deleted") {  // a deleted invitation may no longer be readable
          json update =
              order_update(json{{"id", invitation_id}, {"status", "deleted"}}, nullptr, mapping_);
          update.erase("candidate_url");
          updates.push_back(with_revision(update, revision));
        }
        call.ok(received(event_id, updates));
      });
}

void CheckrProvider::on_report_event(const std::string& event_id, const std::string& report_id,
                                     std::optional<std::int64_t> revision, const sdk::Call& call) {
  auto later = retry_later(call);
  auto not_ours = [event_id, call]() { call.ok(received(event_id)); };
  auto finish = [this, event_id, revision, call, not_ours](const json& report) {
    json update = with_revision(order_update(nullptr, report, mapping_), revision);
    if (!update.contains("order_id")) return not_ours();  // a report ordered outside ttbridge
    call.ok(received(event_id, json::array({update})));
  };
  load_report(
      report_id, call,
      [this, call, finish, later](json report) {
        if (!order_id_of_report(report).empty() || text(report, "candidate_id").empty())
          return finish(report);
        // The include did not embed the candidate: read it for its custom_id (our order id).
        auto rep = std::make_shared<json>(std::move(report));
        send(
            api_.get_candidate(text(*rep, "candidate_id")), "fetch the candidate", call,
            [rep, finish](json candidate) {
              (*rep)["candidate"] = std::move(candidate);
              finish(*rep);
            },
            later);
      },
      [later, not_ours](const sdk::Error& e) {
        if (e.status() == TTB_STATUS_NOT_FOUND) return not_ours();
        later(e);
      });
}

// ---- fetch_document: a fresh link to the report's PDF ------------------------------------------

void CheckrProvider::fetch_document(std::string_view request_json, sdk::Call call) {
  const DocumentRequest request = parse_document_request(request_json);
  if (request.document == "report") {
    // The dashboard link from report_url_template does not expire; there is nothing fresher.
    if (request.url.empty())
      throw sdk::Error(TTB_STATUS_NOT_FOUND, "Checkr: no report link is configured");
    return call.ok(json{{"url", request.url}}.dump());
  }
  const OrderContext order = parse_order_context(request.order_json);
  if (order.report_id.empty())
    throw sdk::Error(TTB_STATUS_NOT_FOUND, "Checkr: the order has no report yet");
  load_report(
      order.report_id, call,
      [this, stored = request.url, call](const json& report) {
        auto url = fresh_document_url(report, stored);
        if (!url) throw sdk::Error(TTB_STATUS_NOT_FOUND, "Checkr: the report has no such PDF");
        call.ok(document_link_answer(*url, host().now_ms()));
      },
      [](const sdk::Error& e) { throw e; });
}

}  // namespace ttb::checkr
