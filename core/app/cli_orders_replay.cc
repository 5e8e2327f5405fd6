// ttbridge orders replay ID --step invite|push|poll: queue exactly one step of an order again.
// A replayed push re-sends the current result and never re-invites the candidate; the daemon
// runs the queued job (it looks for new jobs at least every second).

#include <iostream>

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
  const orders::RequestResult result = service.replay(options.order_id, *step);
  switch (result.status) {
    case orders::RequestResult::Status::queued:
      if (options.common.json) {
        print_json(
            std::cout,
            {{"order_id", options.order_id}, {"step", options.step}, {"job_id", result.job_id}});
      } else {
        std::cout << "queued " << options.step << " job " << result.job_id << " for order "
                  << options.order_id << "; ttbridged runs it shortly (ttbridge orders show "
                  << options.order_id << " follows it)\n";
      }
      return kExitOk;
    case orders::RequestResult::Status::not_found:
      return fail(std::cerr, "no order " + options.order_id + " in the store",
                  "ttbridge orders list shows the order ids");
    case orders::RequestResult::Status::not_applicable:
      return fail(std::cerr, "cannot replay " + options.step + ": " + result.message,
                  "a finished order can only have its result pushed again (--step push)");
    case orders::RequestResult::Status::store_error:
      break;
  }
  return fail(std::cerr, "the store failed, nothing was queued: " + result.message,
              "check the store's disk and permissions, then run the command again");
}

}  // namespace

void add_orders_replay(CLI::App& orders, Action& action) {
  auto options = std::make_shared<Options>();
  CLI::App* command =
      add_command(orders, "replay",
                  "run exactly one step of an order again: invite, push (re-send the result; never "
                  "re-invites) or poll",
                  action, [options] { return [options] { return replay(*options); }; });
  add_common_options(*command, options->common);
  command->add_option("id", options->order_id, "the order id")->required();
  command->add_option("--step", options->step, "the step to run again")
      ->required()
      ->check(CLI::IsMember({"invite", "push", "poll"}));
}

}  // namespace ttb::app::cli
