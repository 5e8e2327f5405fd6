// ttbridge jobs retry ID | --all [--tenant ID]: dead letters back to the queue with a fresh
// attempt budget; the daemon picks them up within about a second. An order whose dead invite
// failed it is reopened first (OrderService::reopen_invitation).

#include <iostream>
#include <limits>

#include "app/cli_commands.h"
#include "app/cli_output.h"
#include "orders/order_service.h"

namespace ttb::app::cli {
namespace {

struct Options {
  CommonOptions common;
  std::int64_t job_id = 0;
  bool all = false;
  std::string tenant;
};

// A dead invite failed its order (the recruiter's card says so): reopen that order before the
// job is queued again, or the invite would find it final and end. Reopening first, then
// requeuing, is safe to repeat: a second run finds the order already reopened. False when the
// store failed (then nothing is requeued).
bool reopen_for_invite(const store::JobRecord& job, orders::OrderService& service) {
  if (job.kind != store::JobKind::invite || job.state != store::JobState::dead) return true;
  const auto reopened = service.reopen_invitation(job.order_id, false);
  if (reopened.status != orders::RequestResult::Status::store_error) return true;
  std::cerr << "error: the store failed while reopening order " << job.order_id << ": "
            << reopened.message << "\n";
  return false;
}

int store_failed_nothing_requeued() {
  return fail(std::cerr, "the store failed, nothing was requeued",
              "check the store's disk and permissions, then run the command again");
}

int retry_one(const Options& options, store::Store& store, const config::Config& config) {
  orders::OrderService service(store, {config.main.server.public_url});
  if (const auto job = store.get_job(options.job_id); job && !reopen_for_invite(*job, service)) {
    return store_failed_nothing_requeued();
  }
  const auto requeued = store.requeue_dead(options.job_id);
  if (!requeued) {
    return fail(std::cerr,
                "the store failed, job " + std::to_string(options.job_id) + " was not requeued",
                "check the store's disk and permissions, then run the command again");
  }
  if (*requeued == 0) {
    const auto job = store.get_job(options.job_id);
    if (!job && !job.failed_with(store::Error::Code::not_found)) return store_failed(job.error());
    if (!job) {
      return fail(std::cerr, "no job " + std::to_string(options.job_id) + " in the store",
                  "ttbridge jobs list --dead shows the dead letters");
    }
    return fail(std::cerr,
                "job " + std::to_string(options.job_id) + " is " + store::to_string(job->state) +
                    ", not dead; only dead letters are retried",
                "to run a step of its order again, use ttbridge orders replay " + job->order_id +
                    " --step " + store::to_string(job->kind));
  }
  // The order's timeline tells support who revived the job, next to why it died.
  if (const auto job = store.get_job(options.job_id)) {
    service.note(job->order_id, "operator", "job_retried",
                 std::string(store::to_string(job->kind)) + " job " + std::to_string(job->id) +
                     " requeued by ttbridge jobs retry");
  }
  if (options.common.json) {
    print_json(std::cout, {{"requeued", *requeued}, {"job_ids", {options.job_id}}});
  } else {
    std::cout << "requeued job " << options.job_id << "\n";
  }
  return kExitOk;
}

int retry_all(const Options& options, store::Store& store, const config::Config& config) {
  orders::OrderService service(store, {config.main.server.public_url});
  store::JobFilter dead;
  dead.dead_only = true;
  dead.tenant = options.tenant;
  dead.limit = std::numeric_limits<int>::max();
  const auto jobs = store.list_jobs(dead);
  if (!jobs) return store_failed(jobs.error());
  for (const auto& job : *jobs) {
    if (!reopen_for_invite(job, service)) return store_failed_nothing_requeued();
  }
  const auto requeued = store.requeue_all_dead(options.tenant);
  if (!requeued) {
    return fail(std::cerr, "the store failed, no job was requeued",
                "check the store's disk and permissions, then run the command again");
  }
  if (options.common.json) {
    print_json(std::cout, {{"requeued", *requeued}});
  } else {
    std::cout << "requeued " << *requeued << " dead " << (*requeued == 1 ? "job" : "jobs")
              << (options.tenant.empty() ? "" : " of tenant " + options.tenant) << "\n";
  }
  return kExitOk;
}

int retry(const Options& options) {
  if ((options.job_id != 0) == options.all) {
    std::cerr << "error: give either a job id or --all\n"
                 "  ttbridge jobs retry 42 | ttbridge jobs retry --all [--tenant ID]\n";
    return kExitUsage;
  }
  auto config = load_config(options.common.config_path, std::cerr);
  if (!config) return kExitProblem;
  auto store = open_store(*config, std::cerr);
  if (!store) return kExitProblem;
  return options.all ? retry_all(options, *store, *config) : retry_one(options, *store, *config);
}

}  // namespace

void add_jobs_retry(CLI::App& jobs, Action& action) {
  auto options = std::make_shared<Options>();
  CLI::App* command =
      add_command(jobs, "retry", "put dead jobs back in the queue with a fresh attempt budget",
                  action, [options] { return [options] { return retry(*options); }; });
  add_common_options(*command, options->common);
  auto* id =
      command->add_option("id", options->job_id, "the dead job's id")->check(CLI::PositiveNumber);
  auto* all = command->add_flag("--all", options->all, "every dead job (of --tenant, if given)")
                  ->excludes(id);
  command->add_option("--tenant", options->tenant, "with --all: only this tenant's dead jobs")
      ->needs(all);
}

}  // namespace ttb::app::cli
