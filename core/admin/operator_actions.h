#pragma once
// What an operator does to a stuck order, whether through `ttbridge jobs retry` / `ttbridge
// orders replay` or the operator API: one implementation, so both write the same timeline lines
// and refuse the same cases. The daemon runs what they queue (it looks for due jobs at least
// every second).

#include <cstdint>
#include <optional>
#include <string>

#include "orders/order_service.h"
#include "store/store.h"

namespace ttb::admin {

struct ActionOutcome {
  // done: queued. not_found: no such job or order. conflict: its state forbids the action (a
  // job that is not dead, a step an order cannot run again). store_error: nothing was queued.
  enum class Status { done, not_found, conflict, store_error };
  Status status = Status::store_error;
  std::string message;                  // what happened, one sentence (empty when done)
  std::string todo;                     // what the operator can do next (may be empty)
  std::optional<store::JobRecord> job;  // the requeued or queued job, when done
};

// A dead letter back to the queue with a fresh attempt budget. A dead invite failed its order
// (the recruiter's card says so): that order is reopened first, or the invite would find it
// final and end. `by` names the operator's tool in the order's timeline ("ttbridge jobs retry").
ActionOutcome retry_dead_job(orders::OrderService& service, std::int64_t job_id,
                             const std::string& by);

struct RetryAllOutcome {
  bool ok = false;  // false: the store failed (message says where)
  int requeued = 0;
  std::string message;
};
// Every dead job (of `tenant`, or all when empty), reopening the orders of dead invites first.
RetryAllOutcome retry_all_dead(orders::OrderService& service, const std::string& tenant);

// Exactly one step of an order again (OrderService::replay): invite, push (re-sends the result,
// never re-invites) or poll.
ActionOutcome replay_step(orders::OrderService& service, const std::string& order_id,
                          store::JobKind step);

}  // namespace ttb::admin
