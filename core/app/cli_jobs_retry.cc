// ttbridge jobs retry ID | --all [--tenant ID]: dead letters back to the queue with a fresh
// attempt budget; the daemon picks them up within about a second. An order whose dead invite
// failed it is reopened first. The work is admin::retry_dead_job, as for the operator API.

#include <iostream>

#include "admin/operator_actions.h"
#include "admin/record_json.h"
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

int retry_one(const Options& options, store::Store& store, const config::Config& config) {
  orders::OrderService service(store, {config.main.server.public_url});
  const admin::ActionOutcome outcome =
      admin::retry_dead_job(service, options.job_id, "ttbridge jobs retry");
  if (outcome.status != admin::ActionOutcome::Status::done) {
    return fail(std::cerr, outcome.message, outcome.todo);
  }
  if (options.common.json) {
    print_json(std::cout,
               {{"requeued", 1},
                {"job_ids", {options.job_id}},
                {"job", outcome.job ? admin::job_json(*outcome.job) : nlohmann::json()}});
  } else {
    std::cout << "requeued job " << options.job_id << "\n";
  }
  return kExitOk;
}

int retry_all(const Options& options, store::Store& store, const config::Config& config) {
  orders::OrderService service(store, {config.main.server.public_url});
  const admin::RetryAllOutcome outcome = admin::retry_all_dead(service, options.tenant);
  if (!outcome.ok) {
    return fail(std::cerr, outcome.message,
                "check the store's disk and permissions, then run the command again");
  }
  if (options.common.json) {
    print_json(std::cout, {{"requeued", outcome.requeued}});
  } else {
    std::cout << "requeued " << outcome.requeued << " dead "
              << (outcome.requeued == 1 ? "job" : "jobs")
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

void add_jobs_retry(Command jobs, Action& action) {
  auto options = std::make_shared<Options>();
  Command command =
      add_command(jobs, "retry", "put dead jobs back in the queue with a fresh attempt budget",
                  action, [options] { return [options] { return retry(*options); }; });
  add_common_options(command, options->common);
  Option id = command.option("id", options->job_id, "the dead job's id").positive();
  Option all =
      command.flag("--all", options->all, "every dead job (of --tenant, if given)").excludes(id);
  command.option("--tenant", options->tenant, "with --all: only this tenant's dead jobs")
      .needs(all);
}

}  // namespace ttb::app::cli
