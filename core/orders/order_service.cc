#include "orders/order_service.h"

#include <map>
#include <nlohmann/json.hpp>

#include "orders/order_json.h"
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

}  // namespace

OrderService::OrderService(store::Store& store, OrderServiceOptions options)
    : store_(store), options_(std::move(options)) {}

store::AcceptResult OrderService::accept(store::NewOrder order) {
  if (order.callback_url.empty()) {
    order.callback_url = callback_url(options_.public_url, order.tenant, order.provider, order.id);
  }
  if (order.locale.empty()) order.locale = "en";
  if (order.timeline_detail.empty()) {
    order.timeline_detail =
        "webhook " + order.event_id + ": test " + order.provider + ":" + order.test_id;
  }
  return store_.accept_order(order);
}

ApplyResult OrderService::apply_vendor_update(const std::string& tenant,
                                              const std::string& provider,
                                              const std::string& update_json,
                                              const std::string& source,
                                              const ApplyContext& context) {
  auto parsed = parse_vendor_update(update_json);
  if (!parsed.update) return failed(Status::invalid, parsed.error, context.order_id);
  std::vector<ApplyResult> each;
  bool duplicate = false;
  return apply_updates(tenant, provider, {std::move(*parsed.update)}, source, context, std::nullopt,
                       &each, &duplicate);
}

ApplyResult OrderService::apply_updates(const std::string& tenant, const std::string& provider,
                                        std::vector<VendorUpdate> updates,
                                        const std::string& source, const ApplyContext& context,
                                        const std::optional<store::CallbackEventKey>& event,
                                        std::vector<ApplyResult>* each, bool* duplicate) {
  for (auto& u : updates) {
    if (!u.status && context.default_status) u.status = context.default_status;
  }
  const bool single = !event && updates.size() == 1;
  try {
    for (int attempt = 0; attempt <= options_.max_conflict_retries; ++attempt) {
      std::map<std::string, store::OrderRecord> working;
      std::vector<ApplyResult> results(updates.size());
      store::ChangeSet changes;
      changes.finish_job_id = context.finish_job_id;
      changes.new_jobs = context.also_enqueue;
      changes.callback_event = event;

      for (size_t i = 0; i < updates.size(); ++i) {
        const VendorUpdate& u = updates[i];
        std::string id = context.order_id;
        if (!id.empty() && !u.order_id.empty() && u.order_id != id) {
          results[i] =
              failed(Status::invalid, "the update names order " + u.order_id + ", not " + id, id);
          continue;
        }
        if (id.empty()) id = u.order_id;
        if (id.empty() && !u.vendor_order_id.empty()) {
          // Only this tenant's and provider's orders are searched.
          for (auto& [known_id, o] : working) {
            if (o.vendor_order_id == u.vendor_order_id) id = known_id;
          }
          if (id.empty()) {
            auto found = store_.find_order_by_vendor_id(tenant, provider, u.vendor_order_id);
            if (found) {
              id = found->id;
              working.emplace(id, std::move(*found));
            }
          }
          if (id.empty()) {
            results[i] = failed(Status::not_found, "no order of " + tenant + "/" + provider +
                                                       " has vendor order id " + u.vendor_order_id);
            continue;
          }
        }
        if (id.empty()) {
          results[i] = failed(Status::invalid, "the update names no order_id or vendor_order_id");
          continue;
        }
        auto it = working.find(id);
        if (it == working.end()) {
          auto found = store_.get_order(id);
          // Another tenant's or provider's order is answered exactly like a missing one.
          if (!found || found->tenant != tenant || found->provider != provider) {
            results[i] =
                failed(Status::not_found, "no order " + id + " for " + tenant + "/" + provider, id);
            continue;
          }
          it = working.emplace(id, std::move(*found)).first;
        }
        store::OrderRecord& order = it->second;
        if (!u.vendor_order_id.empty() && !order.vendor_order_id.empty() &&
            u.vendor_order_id != order.vendor_order_id) {
          results[i] = failed(Status::invalid,
                              "the update's vendor order id " + u.vendor_order_id +
                                  " differs from the order's " + order.vendor_order_id,
                              id);
          continue;
        }
        UpdatePlan plan = plan_update(order, u, source, context.quiet_if_unchanged);
        results[i].order_id = id;
        results[i].status = (plan.verdict == Verdict::late || plan.verdict == Verdict::final_)
                                ? Status::ignored
                                : Status::applied;
        results[i].result_changed = plan.change.result_changed;
        if (!plan.change.timeline.empty()) results[i].message = plan.change.timeline.back().detail;
        if (!plan.empty()) {
          store::apply_change(order, plan.change);
          changes.orders.push_back(std::move(plan.change));
        }
      }

      if (single &&
          (results[0].status == Status::invalid || results[0].status == Status::not_found)) {
        *each = results;
        return results[0];
      }
      const bool nothing = changes.orders.empty() && !changes.finish_job_id &&
                           changes.new_jobs.empty() && !changes.callback_event;
      if (!nothing) {
        auto committed = store_.commit(changes);
        if (committed.status == store::CommitStatus::conflict) continue;
        if (committed.status == store::CommitStatus::duplicate) {
          *duplicate = true;
          *each = {};
          return failed(Status::ignored, "duplicate callback event");
        }
        if (committed.status == store::CommitStatus::error) {
          for (auto& r : results) {
            if (r.status == Status::applied || r.status == Status::ignored) {
              r = failed(Status::store_error, committed.error, r.order_id);
            }
          }
          *each = results;
          return results.empty() ? failed(Status::store_error, committed.error) : results[0];
        }
      }
      *each = results;
      return results.empty() ? failed(Status::applied, "") : results[0];
    }
    return failed(Status::store_error, "the order kept changing; gave up after " +
                                           std::to_string(options_.max_conflict_retries) +
                                           " retries");
  } catch (const store::StoreError& e) {
    return failed(Status::store_error, e.what(), context.order_id);
  }
}

CallbackOutcome OrderService::handle_callback_result(const std::string& tenant,
                                                     const std::string& provider,
                                                     const std::string& result_json) {
  CallbackOutcome out;
  json j = json::parse(result_json, nullptr, false);
  auto invalid = [&](std::string why) {
    out.status = CallbackOutcome::Status::invalid_result;
    out.error = "plugin callback result: " + std::move(why);
    out.reply_status = 502;
    out.reply_headers.clear();
    out.reply_body.clear();
    return out;
  };
  if (j.is_discarded() || !j.is_object()) return invalid("not a JSON object");
  auto reply = j.find("reply");
  if (reply == j.end() || !reply->is_object()) return invalid("missing reply object");
  if (auto s = reply->find("status"); s != reply->end()) {
    if (!s->is_number_integer() || s->get<int>() < 100 || s->get<int>() > 599) {
      return invalid("reply.status is not an HTTP status");
    }
    out.reply_status = s->get<int>();
  }
  if (auto h = reply->find("headers"); h != reply->end() && !h->is_null()) {
    if (!h->is_array()) return invalid("reply.headers is not a list of [name, value]");
    for (const auto& pair : *h) {
      if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) {
        return invalid("reply.headers is not a list of [name, value]");
      }
      out.reply_headers.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
    }
  }
  if (auto b = reply->find("body"); b != reply->end() && !b->is_null()) {
    if (!b->is_string()) return invalid("reply.body is not a string");
    out.reply_body = b->get<std::string>();
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
      auto parsed = parse_vendor_update(item.dump());
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
  bool duplicate = false;
  std::vector<ApplyResult> each;
  ApplyResult first =
      apply_updates(tenant, provider, std::move(updates), "callback", {}, key, &each, &duplicate);
  if (duplicate) {
    out.status = CallbackOutcome::Status::duplicate;
    return out;
  }
  for (auto& r : refused) each.push_back(std::move(r));
  out.updates = std::move(each);
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

std::optional<std::string> OrderService::order_context_for(const std::string& tenant,
                                                           const std::string& provider,
                                                           const std::string& order_id) {
  try {
    auto order = store_.get_order(order_id);
    if (!order || order->tenant != tenant || order->provider != provider) return std::nullopt;
    return order_context_json(*order);
  } catch (const store::StoreError&) {
    return std::nullopt;
  }
}

RequestResult OrderService::queue_job(const std::string& tenant, const std::string& order_id,
                                      store::JobKind kind, const std::string& payload,
                                      const std::string& source, const std::string& event,
                                      bool refuse_when_final) {
  RequestResult out;
  try {
    for (int attempt = 0; attempt <= options_.max_conflict_retries; ++attempt) {
      auto order = store_.get_order(order_id);
      if (!order || (!tenant.empty() && order->tenant != tenant)) {
        out.status = RequestResult::Status::not_found;
        out.message = "no order " + order_id + (tenant.empty() ? "" : " for tenant " + tenant);
        return out;
      }
      const auto status = parse_order_status(order->status).value_or(OrderStatus::received);
      if (refuse_when_final && is_terminal(status)) {
        out.status = RequestResult::Status::not_applicable;
        out.message = "order " + order_id + " is already " + order->status;
        return out;
      }
      if (kind == store::JobKind::action && status == OrderStatus::received) {
        out.status = RequestResult::Status::not_applicable;
        out.message = "order " + order_id + " has no invitation yet; it is still being sent";
        return out;
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
      auto committed = store_.commit(changes);
      if (committed.status == store::CommitStatus::conflict) continue;
      if (!committed.ok()) {
        out.status = RequestResult::Status::store_error;
        out.message = committed.error;
        return out;
      }
      out.status = RequestResult::Status::queued;
      out.job_id = committed.job_ids.empty() ? 0 : committed.job_ids.back();
      return out;
    }
    out.message = "the order kept changing; try again";
  } catch (const store::StoreError& e) {
    out.message = e.what();
  }
  out.status = RequestResult::Status::store_error;
  return out;
}

bool OrderService::note(const std::string& order_id, const std::string& source,
                        const std::string& event, const std::string& detail) {
  try {
    for (int attempt = 0; attempt <= options_.max_conflict_retries; ++attempt) {
      auto order = store_.get_order(order_id);
      if (!order) return false;
      store::ChangeSet changes;
      store::OrderChange change;
      change.order_id = order_id;
      change.expected_version = order->version;
      change.timeline.push_back({{}, source, event, detail});
      changes.orders.push_back(std::move(change));
      auto committed = store_.commit(changes);
      if (committed.status == store::CommitStatus::conflict) continue;
      return committed.ok();
    }
  } catch (const store::StoreError&) {
  }
  return false;
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

RequestResult OrderService::replay(const std::string& order_id, store::JobKind step,
                                   const std::string& source) {
  switch (step) {
    case store::JobKind::push:
      return queue_job("", order_id, step, R"({"force":true})", source, "replay", false);
    case store::JobKind::invite:
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
