#pragma once
// One atomic write on orders and jobs: order field changes checked against the version they were
// computed from, timeline lines, new jobs, a finished job, a callback dedupe key and the finishing
// worker's next claim, all in one transaction. orders/ computes it (the state machine is pure); the
// store only applies it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/claim_request.h"
#include "store/records.h"

namespace ttb::store {

struct OrderChange {
  std::string order_id;
  std::int64_t expected_version = 0;  // the version the change was computed from; else conflict
  std::optional<std::string> status;
  std::optional<std::string> failure_reason;
  std::optional<std::string> vendor_order_id;
  std::optional<std::string> vendor_state_json;
  std::optional<std::string> result_json;
  // Bumps result_version and enqueues a push job carrying it (payload {"version":N}).
  bool result_changed = false;
  // Teamtailor acknowledged this result_version (raises pushed_version, never lowers it).
  std::optional<std::int64_t> pushed_version;
  // The vendor revision this change applied (raises applied_revision, never lowers it).
  std::optional<std::int64_t> applied_revision;
  std::vector<TimelineEntry> timeline;
};

// What `change` does to the order it names, defined once: the store applies it when it commits,
// and orders/ applies it to plan a second change of the same order in the same set. Fields the
// change leaves out keep their values, result_changed bumps result_version, pushed_version only
// raises, applied_revision only raises, and every change bumps version. updated_at is left to the
// store (the commit's time).
void apply_change(OrderRecord& order, const OrderChange& change);

struct CallbackEventKey {
  std::string tenant;
  std::string provider;
  std::string event_id;
};

struct ChangeSet {
  std::vector<OrderChange> orders;
  std::vector<NewJob> new_jobs;
  std::optional<JobClaim> finish_job;  // marks that running job done; fenced: nothing is applied
  // With finish_job: the job ends dead with this error instead of done (an invitation that fails
  // its order as it dies), under the same fence.
  std::optional<std::string> finish_as_dead;
  std::optional<CallbackEventKey> callback_event;  // already seen: nothing is applied
  // A claim that rides on finish_job: once the set is applied, the same transaction claims due
  // jobs as Store::claim_due_jobs would (Committed::claimed), so a worker's completion and its
  // next claim wait for one commit instead of two. Ignored without finish_job, and when the set
  // applies nothing (fenced, conflict, duplicate).
  std::optional<ClaimRequest> then_claim;
};

// What a commit did. conflict (an order's version moved, or the order is gone), fenced
// (finish_job is no longer held by that claim) and store failures are the Result's Error; a
// duplicate callback event is an outcome.
struct Committed {
  bool duplicate = false;             // callback_event was already recorded; nothing applied
  std::vector<std::int64_t> job_ids;  // ids of the jobs enqueued (push jobs included)
  std::vector<JobRecord> claimed;     // what then_claim claimed, marked running (may be none)
};

}  // namespace ttb::store
