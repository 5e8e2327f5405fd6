// ttbridge jobs list [--dead] [--all] [--tenant ID] [--order ID]: the jobs an operator acts on.
// By default the open ones (queued, running, dead); --dead only the dead letters; --all also the
// finished ones.

#include <iostream>

#include "admin/record_json.h"
#include "admin/record_queries.h"
#include "app/cli_commands.h"
#include "app/cli_output.h"

namespace ttb::app::cli {
namespace {

struct Options {
  CommonOptions common;
  bool dead = false;
  bool all = false;
  std::string tenant;
  std::string order_id;
  int limit = 100;
};

int list(const Options& options) {
  auto store = open_store_to_read(options.common, std::cerr);
  if (!store) return kExitProblem;

  admin::JobQuery query;
  query.dead_only = options.dead;
  query.include_done = options.all;
  query.tenant = options.tenant;
  query.order_id = options.order_id;
  query.limit = options.limit;
  auto listed = admin::list_jobs(*store, query);
  if (!listed) return store_failed(listed.error());
  const std::vector<store::JobRecord>& jobs = *listed;
  const bool open_only = !options.dead && !options.all;

  if (options.common.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& job : jobs) out.push_back(admin::job_json(job));
    print_json(std::cout, {{"jobs", std::move(out)}});
    return kExitOk;
  }
  if (jobs.empty()) {
    std::cout << (options.dead ? "no dead jobs"
                  : open_only  ? "no open jobs"
                               : "no jobs")
              << (options.tenant.empty() ? "" : " of tenant " + options.tenant) << '\n';
    return kExitOk;
  }
  Table table({"JOB", "ORDER", "TENANT", "PROVIDER", "KIND", "STATE", "ATTEMPTS", "RUN AT (UTC)",
               "LAST ERROR"});
  for (const auto& job : jobs) {
    table.add({std::to_string(job.id), job.order_id, job.tenant, job.provider,
               store::to_string(job.kind), state_cell(job), attempts_cell(job),
               format_time(job.run_at), without_personal_data(job.last_error)});
  }
  table.print(std::cout);
  if (static_cast<int>(jobs.size()) == options.limit) {
    std::cout << "(the first " << options.limit << "; --limit N shows more)\n";
  }
  return kExitOk;
}

}  // namespace

void add_jobs_list(Command jobs, Action& action) {
  auto options = std::make_shared<Options>();
  Command command = add_command(
      jobs, "list", "jobs that are queued, running or dead (dead letters), oldest first", action,
      [options] { return [options] { return list(*options); }; });
  add_common_options(command, options->common);
  add_store_option(command, options->common);
  Option dead = command.flag("--dead", options->dead, "only dead letters");
  command.flag("--all", options->all, "also the finished jobs").excludes(dead);
  command.option("--tenant", options->tenant, "only this tenant's jobs");
  command.option("--order", options->order_id, "only this order's jobs");
  command.option("--limit", options->limit, "at most N jobs").in_range(1, 100000).show_default();
}

}  // namespace ttb::app::cli
