#pragma once
// The use cases on orders: accept a webhook's order, apply vendor updates (from jobs and from
// callbacks) through the state machine, and queue cancel/resend/replay requests. Everything it
// writes goes through one store commit per use case, so a crash never leaves half of one.
// Never throws: store failures come back as store_error (the route answers 503).

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "orders/order_status.h"
#include "orders/vendor_update.h"
#include "store/store.h"

namespace ttb::orders {

struct OrderServiceOptions {
  std::string public_url;  // server.public_url: the base of each order's callback URL
  int max_conflict_retries = 16;
};

// How a caller that already knows the order (a job) applies a plugin's answer.
struct ApplyContext {
  std::string order_id;  // "" = find the order from the update's order_id / vendor_order_id
  std::optional<store::JobClaim> finish_job;   // completes that claimed job in the same commit
  std::optional<std::string> finish_as_dead;   // ...as a dead letter with this error, not done
  std::vector<store::NewJob> also_enqueue;     // e.g. the next poll, in the same commit
  std::optional<VendorStatus> default_status;  // for an update without status (create_order: sent)
  bool quiet_if_unchanged = false;             // no timeline line for "nothing new" (polls)
  // Applies only while the order has this status, checked on every read the commit plans on:
  // otherwise the update is refused as `invalid` and nothing is written (a dying invite fails
  // only an order still waiting for its invitation, not one a callback has just invited).
  std::optional<OrderStatus> only_while;
  // The finishing worker's next claim, in the same commit as finish_job (ChangeSet::then_claim);
  // what it claimed comes back in ApplyResult::claimed.
  std::optional<store::ClaimRequest> then_claim;
};

struct ApplyResult {
  enum class Status {
    applied,      // committed (result_changed says whether a push was queued)
    ignored,      // late or after the order was final: recorded in the timeline only
    not_found,    // no such order for this tenant and provider (other tenants' orders included)
    invalid,      // the update is malformed or contradicts the order
    store_error,  // nothing was written
  };
  Status status = Status::store_error;
  std::string order_id;
  bool result_changed = false;
  std::string message;
  std::vector<store::JobRecord> claimed;  // by ApplyContext::then_claim (record_push: then_claim)
};

struct CallbackOutcome {
  enum class Status {
    ok,              // updates applied (see `updates` for each one's fate)
    duplicate,       // the event id was seen before: nothing applied, reply as the plugin says
    invalid_result,  // the plugin's result is not the documented JSON: answer 502
    store_error,     // nothing applied: answer 503 so the vendor retries
  };
  Status status = Status::store_error;
  int reply_status = 200;
  // Only allowed names with clean values (refuse_reply_header); the rest is in dropped_headers.
  std::vector<std::pair<std::string, std::string>> reply_headers;
  std::vector<std::string> dropped_headers;  // "<name>: <why>", for the log
  std::string reply_body;
  std::string event_id;
  std::vector<ApplyResult> updates;
  std::string error;
};

// The headers a plugin may put on its callback reply: Content-Type, Cache-Control and
// Retry-After (case-insensitive), with a value of printable ASCII (no CR, LF or other control
// character) of at most 1,024 bytes. nullptr when allowed, else why not.
const char* refuse_reply_header(const std::string& name, const std::string& value);

struct RequestResult {
  enum class Status { queued, not_found, not_applicable, store_error };
  Status status = Status::store_error;
  std::int64_t job_id = 0;
  std::string message;
};

class OrderService {
 public:
  OrderService(store::Store& store, OrderServiceOptions options);

  // Stores a verified, validated webhook order with its invite job. Fills callback_url (from
  // public_url) and the timeline detail when empty.
  store::Result<store::Accepted> accept(store::NewOrder order);
  // accept without waiting for the commit (store::Store::accept_order_async): `done` may run on
  // the store's thread, so it must be quick.
  void accept_async(store::NewOrder order, store::Store::AcceptDone done);
  // Records the event id and body digest of a verified webhook that was refused (an accepted
  // one is recorded by accept, with NewOrder::sighting_digest), without waiting for the commit
  // (store::Store::record_webhook_sighting_async): `done` may run on the store's thread.
  void record_webhook_sighting_async(store::WebhookSighting sighting,
                                     store::Store::SightingDone done);

  // One order update JSON from a plugin, applied to an order of (tenant, provider) only.
  ApplyResult apply_vendor_update(const std::string& tenant, const std::string& provider,
                                  const std::string& update_json, const std::string& source,
                                  const ApplyContext& context = {});

  // A handle_callback result: {"reply":{…},"event_id"?,"updates":[…]}. With an event id, the
  // event and all its updates commit together, once. `read_before`: the order as callback_order
  // read it before the plugin ran, planned on first instead of read again (a conflict at commit
  // plans again on a fresh read).
  CallbackOutcome handle_callback_result(const std::string& tenant, const std::string& provider,
                                         const std::string& result_json,
                                         const store::OrderRecord* read_before = nullptr);

  // The order a callback's path names, whose context (order_context_json) goes to the plugin:
  // nullopt when there is no such order of (tenant, provider)'s; an error when the store could
  // not be read (the route answers 503, since the plugin would refuse the call without it).
  store::Result<std::optional<store::OrderRecord>> callback_order(const std::string& tenant,
                                                                  const std::string& provider,
                                                                  const std::string& order_id);

  // Queue a cancel_order / run_action("resend_invitation") job for an order of the tenant.
  RequestResult request_cancel(const std::string& tenant, const std::string& order_id,
                               const std::string& source = "teamtailor");
  RequestResult request_resend(const std::string& tenant, const std::string& order_id,
                               const std::string& source = "teamtailor");
  // Operator replay of exactly one step (invite | push | poll). A replayed push re-sends the
  // current result even when Teamtailor already has it; it never re-invites. A replayed invite
  // of an order whose invitation failed reopens it first (reopen_invitation).
  RequestResult replay(const std::string& order_id, store::JobKind step,
                       const std::string& source = "operator");

  // The one exception to "a terminal status stays terminal": an order that failed because its
  // invitation never reached the vendor (failed as rejected or vendor_error, no vendor order id)
  // goes back to received, with a "sending" card and a "reopened" timeline line, so that its
  // invitation can run again once the operator fixed the cause. With `queue_invite`, a fresh
  // invite job commits with it (orders replay); without, the caller brings the dead invite job
  // back itself (jobs retry). not_applicable: the order is not such an order.
  RequestResult reopen_invitation(const std::string& order_id, bool queue_invite,
                                  const std::string& source = "operator");

  // Records that Teamtailor acknowledged the result of `pushed` (the order as the push read it,
  // shown to the recruiter as `result_status`), finishing push job `job` in the same commit, with
  // the claim `then_claim` riding on it (ApplyResult::claimed). The first attempt expects the
  // order still at `pushed.version`, so it reads nothing; it reads the order again only after a
  // conflict. not_found when the order is gone; store_error with the reason when nothing could be
  // written.
  ApplyResult record_push(const store::OrderRecord& pushed, const std::string& result_status,
                          const store::JobClaim& job,
                          std::optional<store::ClaimRequest> then_claim = std::nullopt);

  // Adds one timeline line (e.g. a job that died). False when the store failed.
  bool note(const std::string& order_id, const std::string& source, const std::string& event,
            const std::string& detail);

  store::Store& store() { return store_; }

 private:
  // What accept fills in: callback_url from public_url, the locale, the timeline detail.
  void complete(store::NewOrder& order) const;
  struct UpdateBatch;   // the updates of one job answer or one callback, and how to apply them
  struct BatchOutcome;  // what became of each of them
  struct BatchPlan;     // one attempt's verdicts and the writes they imply
  struct Resolution;    // the order an update applies to, or why none
  using WorkingOrders = std::map<std::string, store::OrderRecord>;

  BatchOutcome apply_updates(UpdateBatch batch);
  // `seed`: an order read before (UpdateBatch::read_before), on the first attempt only.
  BatchPlan plan(const UpdateBatch& batch, const store::OrderRecord* seed);
  Resolution resolve(const UpdateBatch& batch, const VendorUpdate& update, WorkingOrders& working);
  // The one "read, check, commit, retry on conflict" loop. `build` reads what it needs afresh
  // and returns the writes, or nullopt to write nothing (then so does this). A conflict calls
  // `build` again, at most max_conflict_retries times; after that the conflict is returned.
  // A read error of `build` is returned as it is, like a commit's error; so is the conflict that
  // outlasts the retries (code conflict).
  store::Result<std::optional<store::Committed>> commit_with_retry(
      const std::function<store::Result<std::optional<store::ChangeSet>>()>& build);
  RequestResult queue_job(const std::string& tenant, const std::string& order_id,
                          store::JobKind kind, const std::string& payload,
                          const std::string& source, const std::string& event,
                          bool refuse_when_final);

  store::Store& store_;
  OrderServiceOptions options_;
};

}  // namespace ttb::orders
