#include "admin/operator_actions.h"

#include <limits>

namespace ttb::admin {
namespace {

using Status = ActionOutcome::Status;

constexpr const char* kCheckStore =
    "check the store's disk and permissions, then run the command again";

ActionOutcome failed(Status status, std::string message, std::string todo = "") {
  ActionOutcome out;
  out.status = status;
  out.message = std::move(message);
  out.todo = std::move(todo);
  return out;
}

// Reopening first, then requeuing, is safe to repeat: a second run finds the order already
// reopened. False when the store failed (then nothing may be requeued).
bool reopen_for_invite(const store::JobRecord& job, orders::OrderService& service,
                       std::string& error) {
  if (job.kind != store::JobKind::invite || job.state != store::JobState::dead) return true;
  const auto reopened = service.reopen_invitation(job.order_id, false);
  if (reopened.status != orders::RequestResult::Status::store_error) return true;
  error = reopened.message;
  return false;
}

}  // namespace

ActionOutcome retry_dead_job(orders::OrderService& service, std::int64_t job_id,
                             const std::string& by) {
  store::Store& store = service.store();
  const std::string name = "job " + std::to_string(job_id);
  const auto job = store.get_job(job_id);
  if (!job && job.failed_with(store::Error::Code::not_found)) {
    return failed(Status::not_found, "no " + name + " in the store",
                  "ttbridge jobs list --dead (or GET /api/jobs?dead=1) shows the dead letters");
  }
  if (!job) {
    return failed(Status::store_error,
                  "the store failed, " + name + " was not requeued: " + job.error().message,
                  kCheckStore);
  }
  if (job->state != store::JobState::dead) {
    return failed(
        Status::conflict,
        name + " is " + store::to_string(job->state) + ", not dead; only dead letters are retried",
        "to run a step of its order again, replay it: ttbridge orders replay " + job->order_id +
            " --step " + store::to_string(job->kind));
  }
  std::string error;
  if (!reopen_for_invite(*job, service, error)) {
    return failed(Status::store_error,
                  "the store failed while reopening order " + job->order_id +
                      ", nothing was requeued: " + error,
                  kCheckStore);
  }
  const auto requeued = store.requeue_dead(job_id);
  if (!requeued) {
    return failed(Status::store_error,
                  "the store failed, " + name + " was not requeued: " + requeued.error().message,
                  kCheckStore);
  }
  if (*requeued == 0) {  // another operator was quicker, or the job moved meanwhile
    return failed(Status::conflict, name + " is no longer dead; only dead letters are retried");
  }
  // The order's timeline tells support who revived the job, next to why it died.
  service.note(job->order_id, "operator", "job_retried",
               std::string(store::to_string(job->kind)) + " " + name + " requeued by " + by);
  ActionOutcome out;
  out.status = Status::done;
  const auto after = store.get_job(job_id);
  out.job = after ? *after : *job;
  return out;
}

RetryAllOutcome retry_all_dead(orders::OrderService& service, const std::string& tenant) {
  store::Store& store = service.store();
  store::JobFilter dead;
  dead.dead_only = true;
  dead.tenant = tenant;
  dead.limit = std::numeric_limits<int>::max();
  const auto jobs = store.list_jobs(dead);
  if (!jobs) return {false, 0, "the store failed: " + jobs.error().message};
  for (const auto& job : *jobs) {
    std::string error;
    if (!reopen_for_invite(job, service, error)) {
      return {false, 0,
              "the store failed while reopening order " + job.order_id +
                  ", nothing was requeued: " + error};
    }
  }
  const auto requeued = store.requeue_all_dead(tenant);
  if (!requeued) {
    return {false, 0, "the store failed, no job was requeued: " + requeued.error().message};
  }
  return {true, *requeued, ""};
}

ActionOutcome replay_step(orders::OrderService& service, const std::string& order_id,
                          store::JobKind step) {
  const std::string step_name = store::to_string(step);
  const orders::RequestResult result = service.replay(order_id, step);
  switch (result.status) {
    case orders::RequestResult::Status::queued: {
      ActionOutcome out;
      out.status = Status::done;
      if (auto job = service.store().get_job(result.job_id)) out.job = *job;
      return out;
    }
    case orders::RequestResult::Status::not_found:
      return failed(Status::not_found, "no order " + order_id + " in the store",
                    "ttbridge orders list (or GET /api/orders) shows the order ids");
    case orders::RequestResult::Status::not_applicable:
      return failed(Status::conflict, "cannot replay " + step_name + ": " + result.message,
                    "a finished order can only have its result pushed again (step push)");
    case orders::RequestResult::Status::store_error:
      break;
  }
  return failed(Status::store_error, "the store failed, nothing was queued: " + result.message,
                kCheckStore);
}

}  // namespace ttb::admin
