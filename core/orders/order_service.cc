#include "orders/order_service.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "ops/log.h"
#include "orders/json_fields.h"
#include "orders/order_json.h"
#include "orders/result_view.h"
#include "orders/update_plan.h"

namespace ttb::orders {
namespace {

using nlohmann::json;
using Status = ApplyResult::Status;

ApplyResult failed(Status status, std::string message, std::string order_id = {}) {
  ApplyResult r;
  r.status = status;
  r.message = std::move(message);
  r.order_id = std::move(order_id);
  return r;
}

// A plugin's malformed optional field is dropped, not fatal: say so once per field, so the
// plugin's author can see it in the log.
void log_dropped(const std::string& tenant, const std::string& provider,
                 const ParsedUpdate& parsed) {
  for (const auto& message : parsed.dropped) {
    ops::log_warn("plugin_field_dropped",
                  {{"tenant", tenant}, {"provider", provider}, {"message", message}});
  }
}

}  // namespace

OrderService::OrderService(store::Store& store, OrderServiceOptions options)
    : store_(store), options_(std::move(options)) {}

void OrderService::complete(store::NewOrder& order) const {
  if (order.callback_url.empty()) {
    order.callback_url = callback_url(options_.public_url, order.tenant, order.provider, order.id);
  }
  if (order.locale.empty()) order.locale = "en";
  if (order.timeline_detail.empty()) {
    order.timeline_detail =
        "webhook " + order.event_id + ": test " + order.provider + ":" + order.test_id;
  }
}

store::Result<store::Accepted> OrderService::accept(store::NewOrder order) {
  complete(order);
  return store_.accept_order(order);
}

void OrderService::accept_async(store::NewOrder order, store::Store::AcceptDone done) {
  complete(order);
  store_.accept_order_async(std::move(order), std::move(done));
}

void OrderService::record_webhook_sighting_async(store::WebhookSighting sighting,
                                                 store::Store::SightingDone done) {
  store_.record_webhook_sighting_async(std::move(sighting), std::move(done));
}

struct OrderService::UpdateBatch {
  std::string tenant;
  std::string provider;
  std::vector<VendorUpdate> updates;
  std::string source;
  ApplyContext context;
  std::optional<store::CallbackEventKey> event;  // commits with the updates, once
  // The order as read before the updates came (a callback's: callback_order), or null. Planning
  // on it is safe although it may be stale: whatever the plan writes to the order (an ignored
  // update too, as a timeline line) commits only if the order is still at that version, and is
  // planned again on a fresh read if not. The one plan that writes nothing, a quiet repeat of the
  // applied revision, stays a repeat: the applied revision only grows.
  const store::OrderRecord* read_before = nullptr;
};

struct OrderService::BatchOutcome {
  ApplyResult first;              // the first update's fate, or why the batch failed as a whole
  std::vector<ApplyResult> each;  // every update's fate, in order; empty when none was judged
  bool duplicate = false;         // the callback event was seen before: nothing applied
};

struct OrderService::BatchPlan {
  std::vector<ApplyResult> results;  // one per update
  store::ChangeSet changes;
  std::optional<store::Error> read_error;  // an order could not be read: nothing is written
};

struct OrderService::Resolution {
  store::OrderRecord* order = nullptr;  // in the working set; null when the update is refused
  ApplyResult refusal;                  // store_error: the store could not be read
};

ApplyResult OrderService::apply_vendor_update(const std::string& tenant,
                                              const std::string& provider,
                                              const std::string& update_json,
                                              const std::string& source,
                                              const ApplyContext& context) {
  auto parsed = parse_vendor_update(update_json);
  if (!parsed.update) return failed(Status::invalid, parsed.error, context.order_id);
  log_dropped(tenant, provider, parsed);
  return apply_updates(
             {tenant, provider, {std::move(*parsed.update)}, source, context, {}, nullptr})
      .first;
}

store::Result<std::optional<store::Committed>> OrderService::commit_with_retry(
    const std::function<store::Result<std::optional<store::ChangeSet>>()>& build) {
  store::Error conflict;
  for (int attempt = 0; attempt <= options_.max_conflict_retries; ++attempt) {
    auto changes = build();
    if (!changes) return changes.error();
    if (!*changes) return std::nullopt;
    auto committed = store_.commit(**changes);
    if (committed) return std::optional<store::Committed>(std::move(*committed));
    if (committed.error().code != store::Error::Code::conflict) return committed.error();
    conflict = committed.error();
  }
  return conflict;
}

// Resolve: which of the tenant's and provider's orders the update names, read into `working`.
OrderService::Resolution OrderService::resolve(const UpdateBatch& batch, const VendorUpdate& update,
                                               WorkingOrders& working) {
  const std::string& tenant = batch.tenant;
  const std::string& provider = batch.provider;
  std::string id = batch.context.order_id;
  if (!id.empty() && !update.order_id.empty() && update.order_id != id) {
    return {nullptr, failed(Status::invalid,
                            "the update names order " + update.order_id + ", not " + id, id)};
  }
  if (id.empty()) id = update.order_id;
  if (id.empty() && !update.vendor_order_id.empty()) {
    // Only this tenant's and provider's orders are searched, those planned in this batch first.
    for (auto& [known_id, o] : working) {
      if (o.vendor_order_id == update.vendor_order_id) id = known_id;
    }
    if (id.empty()) {
      auto found = store_.find_order_by_vendor_id(tenant, provider, update.vendor_order_id);
      if (found) {
        id = found->id;
        working.emplace(id, std::move(*found));
      } else if (!found.failed_with(store::Error::Code::not_found)) {
        return {nullptr, failed(Status::store_error, found.error().message)};
      }
    }
    if (id.empty()) {
      return {nullptr,
              failed(Status::not_found, "no order of " + tenant + "/" + provider +
                                            " has vendor order id " + update.vendor_order_id)};
    }
  }
  if (id.empty()) {
    return {nullptr, failed(Status::invalid, "the update names no order_id or vendor_order_id")};
  }
  auto it = working.find(id);
  if (it == working.end()) {
    auto found = store_.get_order(id);
    if (!found && !found.failed_with(store::Error::Code::not_found)) {
      return {nullptr, failed(Status::store_error, found.error().message, id)};
    }
    // Another tenant's or provider's order is answered exactly like a missing one.
    if (!found || found->tenant != tenant || found->provider != provider) {
      return {nullptr,
              failed(Status::not_found, "no order " + id + " for " + tenant + "/" + provider, id)};
    }
    it = working.emplace(id, std::move(*found)).first;
  }
  store::OrderRecord& order = it->second;
  if (!update.vendor_order_id.empty() && !order.vendor_order_id.empty() &&
      update.vendor_order_id != order.vendor_order_id) {
    return {nullptr, failed(Status::invalid,
                            "the update's vendor order id " + update.vendor_order_id +
                                " differs from the order's " + order.vendor_order_id,
                            id)};
  }
  return {&order, {}};
}

// Plan: each update's verdict against its order as the updates before it in the batch left it,
// and the one change set that writes them all.
OrderService::BatchPlan OrderService::plan(const UpdateBatch& batch,
                                           const store::OrderRecord* seed) {
  BatchPlan out;
  out.results.resize(batch.updates.size());
  out.changes.finish_job = batch.context.finish_job;
  out.changes.finish_as_dead = batch.context.finish_as_dead;
  out.changes.then_claim = batch.context.then_claim;
  out.changes.new_jobs = batch.context.also_enqueue;
  out.changes.callback_event = batch.event;
  WorkingOrders working;
  // Only an order of this tenant and provider: the working set is searched as theirs (resolve).
  if (seed && seed->tenant == batch.tenant && seed->provider == batch.provider) {
    working.emplace(seed->id, *seed);
  }
  for (size_t i = 0; i < batch.updates.size(); ++i) {
    Resolution resolved = resolve(batch, batch.updates[i], working);
    if (!resolved.order && resolved.refusal.status == Status::store_error) {
      out.read_error = store::Error{store::Error::Code::unavailable, resolved.refusal.message};
      return out;
    }
    if (!resolved.order) {
      out.results[i] = std::move(resolved.refusal);
      continue;
    }
    store::OrderRecord& order = *resolved.order;
    if (batch.context.only_while && order.status != to_string(*batch.context.only_while)) {
      out.results[i] = failed(Status::invalid,
                              "order " + order.id + " is " + order.status + ", no longer " +
                                  to_string(*batch.context.only_while),
                              order.id);
      continue;
    }
    UpdatePlan planned =
        plan_update(order, batch.updates[i], batch.source, batch.context.quiet_if_unchanged);
    ApplyResult& result = out.results[i];
    result.order_id = order.id;
    const bool ignored = planned.verdict == Verdict::late || planned.verdict == Verdict::final_ ||
                         planned.verdict == Verdict::older;
    result.status = ignored ? Status::ignored : Status::applied;
    result.result_changed = planned.change.result_changed;
    if (!planned.change.timeline.empty()) result.message = planned.change.timeline.back().detail;
    if (!planned.empty()) {
      store::apply_change(order, planned.change);
      out.changes.orders.push_back(std::move(planned.change));
    }
  }
  return out;
}

// Commit: the plan's writes in one commit, planned again on fresh reads after a conflict.
OrderService::BatchOutcome OrderService::apply_updates(UpdateBatch batch) {
  for (auto& u : batch.updates) {
    if (!u.status && batch.context.default_status) u.status = batch.context.default_status;
  }
  const bool single = !batch.event && batch.updates.size() == 1;
  BatchOutcome out;
  BatchPlan planned;
  const store::OrderRecord* seed = batch.read_before;
  auto committed = commit_with_retry([&]() -> store::Result<std::optional<store::ChangeSet>> {
    planned = plan(batch, std::exchange(seed, nullptr));
    if (planned.read_error) return *planned.read_error;
    // A single refused update writes nothing, not even the job completion it came with.
    if (single && (planned.results[0].status == Status::invalid ||
                   planned.results[0].status == Status::not_found)) {
      return std::nullopt;
    }
    const auto& c = planned.changes;
    if (c.orders.empty() && !c.finish_job && c.new_jobs.empty() && !c.callback_event) {
      return std::nullopt;
    }
    return std::move(planned.changes);
  });
  if (committed.failed_with(store::Error::Code::conflict)) {
    out.first =
        failed(Status::store_error, "the order kept changing; gave up after " +
                                        std::to_string(options_.max_conflict_retries) + " retries");
    return out;
  }
  if (planned.read_error) {
    out.first = failed(Status::store_error, planned.read_error->message, batch.context.order_id);
    return out;
  }
  if (committed && *committed && (*committed)->duplicate) {
    out.duplicate = true;
    out.first = failed(Status::ignored, "duplicate callback event");
    return out;
  }
  if (!committed) {
    for (auto& r : planned.results) {
      if (r.status == Status::applied || r.status == Status::ignored) {
        r = failed(Status::store_error, committed.error().message, r.order_id);
      }
    }
  }
  if (committed) {
    // Once per committed update, not per planning attempt: the timeline says the same.
    for (const auto& r : planned.results) {
      if (r.status != Status::ignored) continue;
      ops::log_info("vendor_update_ignored", {{"tenant", batch.tenant},
                                              {"provider", batch.provider},
                                              {"order", r.order_id},
                                              {"detail", r.message}});
    }
  }
  out.each = std::move(planned.results);
  if (!out.each.empty()) {
    out.first = out.each[0];
  } else if (!committed) {
    out.first = failed(Status::store_error, committed.error().message);
  } else {
    out.first = failed(Status::applied, "");
  }
  if (committed && *committed) out.first.claimed = std::move((*committed)->claimed);
  return out;
}

const char* refuse_reply_header(const std::string& name, const std::string& value) {
  auto same = [&name](std::string_view allowed) {
    return name.size() == allowed.size() &&
           std::equal(name.begin(), name.end(), allowed.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) ==
                    std::tolower(static_cast<unsigned char>(b));
           });
  };
  if (!same("Content-Type") && !same("Cache-Control") && !same("Retry-After")) {
    return "not an allowed reply header";
  }
  if (value.size() > 1024) return "value longer than 1024 bytes";
  for (char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f) return "control or non-ASCII character in the value";
  }
  return nullptr;
}

CallbackOutcome OrderService::handle_callback_result(const std::string& tenant,
                                                     const std::string& provider,
                                                     const std::string& result_json,
                                                     const store::OrderRecord* read_before) {
  CallbackOutcome out;
  json j = parse_plugin_json(result_json);
  auto invalid = [&](std::string why) {
    out.status = CallbackOutcome::Status::invalid_result;
    out.error = "plugin callback result: " + std::move(why);
    out.reply_status = 502;
    out.reply_headers.clear();
    out.reply_body.clear();
    return out;
  };
  if (j.is_discarded() || !j.is_object()) return invalid("not a JSON object, or nested too deep");
  auto reply = j.find("reply");
  if (reply == j.end() || !reply->is_object()) return invalid("missing reply object");
  if (auto s = reply->find("status"); s != reply->end()) {
    if (!s->is_number_integer() || s->get<std::int64_t>() < 200 || s->get<std::int64_t>() > 599) {
      return invalid("reply.status is not a final HTTP status (200 to 599)");
    }
    out.reply_status = static_cast<int>(s->get<std::int64_t>());
  }
  if (auto h = reply->find("headers"); h != reply->end() && !h->is_null()) {
    if (!h->is_array()) return invalid("reply.headers is not a list of [name, value]");
    for (const auto& pair : *h) {
      if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) {
        return invalid("reply.headers is not a list of [name, value]");
      }
      std::string name = pair[0].get<std::string>();
      std::string value = pair[1].get<std::string>();
      if (const char* why = refuse_reply_header(name, value)) {
        out.dropped_headers.push_back(name.substr(0, 64) + ": " + why);
        continue;
      }
      out.reply_headers.emplace_back(std::move(name), std::move(value));
    }
  }
  if (auto b = reply->find("body"); b != reply->end() && !b->is_null()) {
    if (!b->is_string()) return invalid("reply.body is not a string");
    out.reply_body = b->get<std::string>();
  }
  if ((out.reply_status == 204 || out.reply_status == 304) && !out.reply_body.empty()) {
    return invalid("reply.body is given with status " + std::to_string(out.reply_status) +
                   ", which carries none");
  }
  if (auto e = j.find("event_id"); e != j.end() && !e->is_null()) {
    if (!e->is_string()) return invalid("event_id is not a string");
    out.event_id = e->get<std::string>();
  }
  std::vector<VendorUpdate> updates;
  std::vector<ApplyResult> refused;
  if (auto u = j.find("updates"); u != j.end() && !u->is_null()) {
    if (!u->is_array()) return invalid("updates is not a list");
    for (const auto& item : *u) {
      auto parsed = read_vendor_update(item);
      log_dropped(tenant, provider, parsed);
      if (parsed.update) {
        updates.push_back(std::move(*parsed.update));
      } else {
        refused.push_back(failed(Status::invalid, parsed.error));
      }
    }
  }
  std::optional<store::CallbackEventKey> key;
  if (!out.event_id.empty()) key = store::CallbackEventKey{tenant, provider, out.event_id};
  if (updates.empty() && !key) {
    out.status = CallbackOutcome::Status::ok;
    out.updates = refused;
    return out;
  }
  BatchOutcome applied =
      apply_updates({tenant, provider, std::move(updates), "callback", {}, key, read_before});
  if (applied.duplicate) {
    out.status = CallbackOutcome::Status::duplicate;
    return out;
  }
  const ApplyResult& first = applied.first;
  for (auto& r : refused) applied.each.push_back(std::move(r));
  out.updates = std::move(applied.each);
  for (const auto& r : out.updates) {
    if (r.status == Status::store_error) {
      out.status = CallbackOutcome::Status::store_error;
      out.error = r.message;
      return out;
    }
  }
  if (first.status == Status::store_error) {
    out.status = CallbackOutcome::Status::store_error;
    out.error = first.message;
    return out;
  }
  out.status = CallbackOutcome::Status::ok;
  return out;
}

store::Result<std::optional<store::OrderRecord>> OrderService::callback_order(
    const std::string& tenant, const std::string& provider, const std::string& order_id) {
  auto order = store_.get_order(order_id);
  if (order.failed_with(store::Error::Code::not_found)) return std::nullopt;
  if (!order) return order.error();
  if (order->tenant != tenant || order->provider != provider) return std::nullopt;
  return std::optional<store::OrderRecord>(std::move(*order));
}

RequestResult OrderService::queue_job(const std::string& tenant, const std::string& order_id,
                                      store::JobKind kind, const std::string& payload,
                                      const std::string& source, const std::string& event,
                                      bool refuse_when_final) {
  RequestResult out;
  auto committed = commit_with_retry([&]() -> store::Result<std::optional<store::ChangeSet>> {
    auto order = store_.get_order(order_id);
    if (!order && !order.failed_with(store::Error::Code::not_found)) return order.error();
    if (!order || (!tenant.empty() && order->tenant != tenant)) {
      out.status = RequestResult::Status::not_found;
      out.message = "no order " + order_id + (tenant.empty() ? "" : " for tenant " + tenant);
      return std::nullopt;
    }
    const auto status = parse_order_status(order->status).value_or(OrderStatus::received);
    if (refuse_when_final && is_terminal(status)) {
      out.status = RequestResult::Status::not_applicable;
      out.message = "order " + order_id + " is already " + order->status;
      return std::nullopt;
    }
    // A resend, or an invite replayed, before the first invitation has gone out would invite
    // the candidate twice, or (run first) leave the first invite to skip the poll chain.
    const bool needs_invitation = kind == store::JobKind::action || kind == store::JobKind::invite;
    if (needs_invitation && status == OrderStatus::received) {
      out.status = RequestResult::Status::not_applicable;
      out.message = "order " + order_id + " has no invitation yet; it is still being sent";
      return std::nullopt;
    }
    store::ChangeSet changes;
    store::OrderChange change;
    change.order_id = order->id;
    change.expected_version = order->version;
    change.timeline.push_back(
        {{}, source, event, std::string(store::to_string(kind)) + " job queued"});
    changes.orders.push_back(change);
    store::NewJob job;
    job.order_id = order->id;
    job.tenant = order->tenant;
    job.provider = order->provider;
    job.kind = kind;
    job.payload_json = payload;
    changes.new_jobs.push_back(job);
    return changes;
  });
  if (committed && !*committed) return out;  // refused above
  if (committed) {
    out.status = RequestResult::Status::queued;
    out.job_id = (*committed)->job_ids.empty() ? 0 : (*committed)->job_ids.back();
    return out;
  }
  out.message = committed.failed_with(store::Error::Code::conflict)
                    ? "the order kept changing; try again"
                    : committed.error().message;
  out.status = RequestResult::Status::store_error;
  return out;
}

ApplyResult OrderService::record_push(const store::OrderRecord& pushed,
                                      const std::string& result_status, const store::JobClaim& job,
                                      std::optional<store::ClaimRequest> then_claim) {
  const std::string& order_id = pushed.id;
  bool first_attempt = true;
  auto committed = commit_with_retry([&]() -> store::Result<std::optional<store::ChangeSet>> {
    std::int64_t version = pushed.version;
    if (!std::exchange(first_attempt, false)) {
      // Moved since the push read it (or gone): only the version is needed, the pushed result
      // stays the one Teamtailor acknowledged.
      auto order = store_.get_order(order_id);
      if (!order) return order.error();
      version = order->version;
    }
    store::ChangeSet changes;
    store::OrderChange change;
    change.order_id = order_id;
    change.expected_version = version;
    change.pushed_version = pushed.result_version;
    change.timeline.push_back(
        {{}, "engine", "pushed", "result '" + result_status + "' written to Teamtailor"});
    changes.orders.push_back(std::move(change));
    changes.finish_job = job;
    changes.then_claim = then_claim;
    return changes;
  });
  if (committed) {
    ApplyResult applied = failed(Status::applied, "", order_id);
    if (*committed) applied.claimed = std::move((*committed)->claimed);
    return applied;
  }
  if (committed.failed_with(store::Error::Code::not_found)) {
    return failed(Status::not_found, "order " + order_id + " disappeared", order_id);
  }
  return failed(Status::store_error,
                committed.failed_with(store::Error::Code::conflict)
                    ? "the order kept changing; gave up after " +
                          std::to_string(options_.max_conflict_retries) + " retries"
                    : committed.error().message,
                order_id);
}

bool OrderService::note(const std::string& order_id, const std::string& source,
                        const std::string& event, const std::string& detail) {
  auto committed = commit_with_retry([&]() -> store::Result<std::optional<store::ChangeSet>> {
    auto order = store_.get_order(order_id);
    if (!order) return order.error();
    store::ChangeSet changes;
    store::OrderChange change;
    change.order_id = order_id;
    change.expected_version = order->version;
    change.timeline.push_back({{}, source, event, detail});
    changes.orders.push_back(std::move(change));
    return changes;
  });
  return committed && *committed;
}

RequestResult OrderService::request_cancel(const std::string& tenant, const std::string& order_id,
                                           const std::string& source) {
  return queue_job(tenant, order_id, store::JobKind::cancel, "{}", source, "cancel_requested",
                   true);
}

RequestResult OrderService::request_resend(const std::string& tenant, const std::string& order_id,
                                           const std::string& source) {
  return queue_job(tenant, order_id, store::JobKind::action, R"({"action":"resend_invitation"})",
                   source, "resend_requested", true);
}

namespace {

// The order failed before the vendor ever took the invitation: its failure is ours or the
// vendor's refusal of the request, not the candidate's test ending badly.
bool invitation_never_reached_vendor(const store::OrderRecord& order) {
  const auto reason = parse_failure_reason(order.failure_reason);
  return parse_order_status(order.status) == OrderStatus::failed && order.vendor_order_id.empty() &&
         (reason == FailureReason::rejected || reason == FailureReason::vendor_error);
}

}  // namespace

RequestResult OrderService::reopen_invitation(const std::string& order_id, bool queue_invite,
                                              const std::string& source) {
  RequestResult out;
  auto committed = commit_with_retry([&]() -> store::Result<std::optional<store::ChangeSet>> {
    auto order = store_.get_order(order_id);
    if (!order && !order.failed_with(store::Error::Code::not_found)) return order.error();
    if (!order) {
      out.status = RequestResult::Status::not_found;
      out.message = "no order " + order_id;
      return std::nullopt;
    }
    if (!invitation_never_reached_vendor(*order)) {
      out.status = RequestResult::Status::not_applicable;
      out.message = "order " + order_id + " is " + order->status +
                    (order->failure_reason.empty() ? "" : " (" + order->failure_reason + ")") +
                    ", not an invitation that failed";
      return std::nullopt;
    }
    ResultView sending;
    sending.status = teamtailor_status(OrderStatus::received);
    sending.summary =
        default_summary(OrderStatus::received, FailureReason::none, candidate_email(*order));
    store::OrderChange change;
    change.order_id = order->id;
    change.expected_version = order->version;
    change.status = to_string(OrderStatus::received);
    change.failure_reason = to_string(FailureReason::none);
    change.result_json = sending.to_json();
    change.result_changed = true;
    change.timeline.push_back({{},
                               source,
                               "reopened",
                               order->status + " → received: reopened by the operator to send "
                                               "the invitation again"});
    store::ChangeSet changes;
    changes.orders.push_back(std::move(change));
    if (queue_invite) {
      store::NewJob job;
      job.order_id = order->id;
      job.tenant = order->tenant;
      job.provider = order->provider;
      job.kind = store::JobKind::invite;
      job.payload_json = "{}";  // a first invitation again: it starts the poll chain as usual
      changes.new_jobs.push_back(std::move(job));
    }
    return changes;
  });
  if (committed && !*committed) return out;  // refused above
  if (committed) {
    out.status = RequestResult::Status::queued;
    // The push of the "sending" card comes first; the invite is the last job of the commit.
    out.job_id =
        (queue_invite && !(*committed)->job_ids.empty()) ? (*committed)->job_ids.back() : 0;
    return out;
  }
  out.message = committed.failed_with(store::Error::Code::conflict)
                    ? "the order kept changing; try again"
                    : committed.error().message;
  out.status = RequestResult::Status::store_error;
  return out;
}

RequestResult OrderService::replay(const std::string& order_id, store::JobKind step,
                                   const std::string& source) {
  switch (step) {
    case store::JobKind::push:
      return queue_job("", order_id, step, R"({"force":true})", source, "replay", false);
    case store::JobKind::invite: {
      RequestResult reopened = reopen_invitation(order_id, true, source);
      if (reopened.status != RequestResult::Status::not_applicable) return reopened;
      return queue_job("", order_id, step, R"({"replay":true})", source, "replay", true);
    }
    case store::JobKind::poll:
      return queue_job("", order_id, step, R"({"replay":true})", source, "replay", true);
    default: {
      RequestResult out;
      out.status = RequestResult::Status::not_applicable;
      out.message = "replay runs invite, push or poll, not " + std::string(store::to_string(step));
      return out;
    }
  }
}

}  // namespace ttb::orders
