// ttbridge orders list [--tenant ID] [--status S] [--email E] [--since T] [--until T]
// [--before ID] [--limit N]: the newest orders first, as the operator API lists them.

#include <iostream>

#include "admin/record_json.h"
#include "admin/record_queries.h"
#include "app/cli_commands.h"
#include "app/cli_output.h"

namespace ttb::app::cli {
namespace {

struct Options {
  CommonOptions common;
  std::string tenant;
  std::string status;
  std::string email;
  std::string since;
  std::string until;
  std::string before;
  int limit = 50;
};

int list(const Options& options) {
  auto store = open_store_to_read(options.common, std::cerr);
  if (!store) return kExitProblem;

  store::OrderFilter filter;
  filter.tenant = options.tenant;
  filter.status = options.status;
  filter.limit = options.limit;
  filter.email = options.email;
  filter.before_id = options.before;
  if (!options.since.empty()) filter.created_since = admin::parse_time_bound(options.since, false);
  if (!options.until.empty()) filter.created_until = admin::parse_time_bound(options.until, true);
  if ((!options.since.empty() && !filter.created_since) ||
      (!options.until.empty() && !filter.created_until)) {
    std::cerr << "error: --since and --until take a date (2026-11-30) or a UTC time "
                 "(2026-11-30T05:20:00Z)\n";
    return kExitUsage;
  }
  const auto listed = store->list_orders(filter);
  if (!listed) return store_failed(listed.error());
  const std::vector<store::OrderRecord>& orders = *listed;

  if (options.common.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& order : orders) out.push_back(admin::order_json(order));
    const bool full = static_cast<int>(orders.size()) == options.limit;
    print_json(std::cout,
               {{"orders", std::move(out)},
                {"next_before", full ? nlohmann::json(orders.back().id) : nlohmann::json()}});
    return kExitOk;
  }
  if (orders.empty()) {
    std::cout << "no orders" << (options.tenant.empty() ? "" : " of tenant " + options.tenant)
              << (options.status.empty() ? "" : " with status " + options.status) << '\n';
    return kExitOk;
  }
  Table table({"ORDER", "TENANT", "PROVIDER", "TEST", "STATUS", "REASON", "VENDOR ORDER",
               "CREATED (UTC)", "UPDATED (UTC)"});
  for (const auto& order : orders) {
    table.add({order.id, order.tenant, order.provider, order.test_id, order.status,
               order.failure_reason, order.vendor_order_id, format_time(order.created_at),
               format_time(order.updated_at)});
  }
  table.print(std::cout);
  if (static_cast<int>(orders.size()) == options.limit) {
    std::cout << "(the newest " << options.limit << "; --limit N shows more)\n";
  }
  return kExitOk;
}

}  // namespace

void add_orders_list(Command orders, Action& action) {
  auto options = std::make_shared<Options>();
  Command command = add_command(orders, "list", "orders, newest first, with their status", action,
                                [options] { return [options] { return list(*options); }; });
  add_common_options(command, options->common);
  add_store_option(command, options->common);
  command.option("--tenant", options->tenant, "only this tenant's orders");
  command.option("--status", options->status, "only orders with this status")
      .one_of({"received", "invited", "in_progress", "completed", "failed"});
  command.option("--email", options->email,
                 "only orders of the candidate with this e-mail (any case)");
  command.option("--since", options->since,
                 "only orders created from this date or UTC time on (2026-11-30)");
  command.option("--until", options->until,
                 "only orders created before this UTC time, or up to this date included");
  command.option("--before", options->before,
                 "only orders listed after this order id (the next page)");
  command.option("--limit", options->limit, "at most N orders").in_range(1, 100000).show_default();
}

}  // namespace ttb::app::cli
