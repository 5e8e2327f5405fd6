// ttbridge orders show ID: one order, its timeline (the story from the webhook to the written
// result) and its jobs. Ids only: the candidate's name and contact details stay in the store.
// --json prints the operator API's order page without them (admin::PersonalData::omit).

#include <iostream>

#include "admin/record_json.h"
#include "admin/record_queries.h"
#include "app/cli_commands.h"
#include "app/cli_output.h"
#include "orders/result_view.h"

namespace ttb::app::cli {
namespace {

struct Options {
  CommonOptions common;
  std::string order_id;
};

std::string result_line(const store::OrderRecord& order) {
  const orders::ResultView view = orders::ResultView::from_json(order.result_json);
  if (view.status.empty()) return "";
  std::string line = view.status;
  if (view.score) line += ", score " + std::to_string(*view.score);
  if (!view.url.empty()) line += ", report link";
  if (!view.attachments.empty())
    line += ", " + std::to_string(view.attachments.size()) + " attachments";
  line += " (version " + std::to_string(order.result_version) + ", Teamtailor has " +
          std::to_string(order.pushed_version) + ")";
  return line;
}

void print_order(const store::OrderRecord& order, const std::vector<store::TimelineEntry>& timeline,
                 const std::vector<store::JobRecord>& jobs) {
  const orders::ResultView view = orders::ResultView::from_json(order.result_json);
  print_fields(std::cout, {{"order", order.id},
                           {"tenant", order.tenant},
                           {"provider", order.provider},
                           {"test", order.test_id},
                           {"status", order.status},
                           {"failure reason", order.failure_reason},
                           {"vendor order", order.vendor_order_id},
                           {"candidate id", admin::id_field(order.candidate_json)},
                           {"job id", admin::id_field(order.job_json)},
                           {"result", result_line(order)},
                           {"summary", without_personal_data(view.summary)},
                           {"created (UTC)", format_time(order.created_at)},
                           {"updated (UTC)", format_time(order.updated_at)}});

  std::cout << "\ntimeline\n";
  Table lines({"AT (UTC)", "SOURCE", "EVENT", "DETAIL"});
  for (const auto& entry : timeline) {
    lines.add(
        {format_time(entry.at), entry.source, entry.event, without_personal_data(entry.detail)});
  }
  lines.print(std::cout);

  std::cout << "\njobs\n";
  Table table({"JOB", "KIND", "STATE", "ATTEMPTS", "RUN AT (UTC)", "LAST ERROR"});
  for (const auto& job : jobs) {
    table.add({std::to_string(job.id), store::to_string(job.kind), state_cell(job),
               attempts_cell(job), format_time(job.run_at), without_personal_data(job.last_error)});
  }
  table.print(std::cout);
}

int show(const Options& options) {
  auto store = open_store_to_read(options.common, std::cerr);
  if (!store) return kExitProblem;

  const auto order = store->get_order(options.order_id);
  if (!order && !order.failed_with(store::Error::Code::not_found)) {
    return store_failed(order.error());
  }
  if (!order) {
    return fail(std::cerr, "no order " + options.order_id + " in the store",
                "order ids are Teamtailor's partner-result ids; ttbridge orders list shows them");
  }
  const auto timeline = store->timeline(order->id);
  if (!timeline) return store_failed(timeline.error());
  const auto jobs = admin::jobs_of_order(*store, order->id);
  if (!jobs) return store_failed(jobs.error());

  if (options.common.json) {
    print_json(std::cout,
               admin::order_page_json(*order, *timeline, *jobs, admin::PersonalData::omit));
  } else {
    print_order(*order, *timeline, *jobs);
  }
  return kExitOk;
}

}  // namespace

void add_orders_show(Command orders, Action& action) {
  auto options = std::make_shared<Options>();
  Command command = add_command(orders, "show", "one order with its timeline and its jobs", action,
                                [options] { return [options] { return show(*options); }; });
  add_common_options(command, options->common);
  add_store_option(command, options->common);
  command.option("id", options->order_id, "the order id (Teamtailor's partner-result id)")
      .required();
}

}  // namespace ttb::app::cli
