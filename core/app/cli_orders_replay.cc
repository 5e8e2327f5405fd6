// ttbridge orders replay ID --step invite|push|poll: queue exactly one step of an order again.
// A replayed push re-sends the current result and never re-invites the candidate; the daemon
// runs the queued job (it looks for new jobs at least every second). The work is
// admin::replay_step, as for the operator API.

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
  std::string order_id;
  std::string step;
};

int replay(const Options& options) {
  const auto step = store::parse_job_kind(options.step);
  if (!step) {
    std::cerr << "error: --step must be invite, push or poll\n";
    return kExitUsage;
  }
  auto config = load_config(options.common.config_path, std::cerr);
  if (!config) return kExitProblem;
  auto store = open_store(*config, std::cerr);
  if (!store) return kExitProblem;

  orders::OrderService service(*store, orders::OrderServiceOptions{config->main.server.public_url});
  const admin::ActionOutcome outcome = admin::replay_step(service, options.order_id, *step);
  if (outcome.status != admin::ActionOutcome::Status::done) {
    return fail(std::cerr, outcome.message, outcome.todo);
  }
  const std::int64_t job_id = outcome.job ? outcome.job->id : 0;
  if (options.common.json) {
    print_json(std::cout,
               {{"order_id", options.order_id},
                {"step", options.step},
                {"job_id", job_id},
                {"job", outcome.job ? admin::job_json(*outcome.job) : nlohmann::json()}});
  } else {
    std::cout << "queued " << options.step << " job " << job_id << " for order " << options.order_id
              << "; ttbridged runs it shortly (ttbridge orders show " << options.order_id
              << " follows it)\n";
  }
  return kExitOk;
}

}  // namespace

void add_orders_replay(Command orders, Action& action) {
  auto options = std::make_shared<Options>();
  Command command =
      add_command(orders, "replay",
                  "run exactly one step of an order again: invite, push (re-send the result; never "
                  "re-invites) or poll",
                  action, [options] { return [options] { return replay(*options); }; });
  add_common_options(command, options->common);
  command.option("id", options->order_id, "the order id").required();
  command.option("--step", options->step, "the step to run again")
      .required()
      .one_of({"invite", "push", "poll"});
}

}  // namespace ttb::app::cli
