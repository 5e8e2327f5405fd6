// ttbridge store copy: the whole store into a new, empty one (SQLite to PostgreSQL when an
// operator outgrows one machine), with a progress bar on a terminal. The guarantees are
// store::copy_store's: the source is only read, the target is filled in one transaction.

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

#include <fmt/format.h>

#include "app/cli_commands.h"
#include "app/cli_output.h"
#include "store/store_copy.h"

namespace ttb::app::cli {
namespace {

struct CopyOptions {
  CommonOptions common;
  std::string from;
  std::string to;  // default: store.url of --config
};

std::string redacted(const std::string& url) {
  config::StoreSettings settings;
  settings.url = url;
  return settings.redacted_url();
}

// "copying  [##########..........]  50%  1,000 / 2,000 rows  timeline", redrawn in place at
// most ten times a second; on anything but a terminal, one line per table instead.
class ProgressBar {
 public:
  explicit ProgressBar(std::ostream& out) : out_(out), terminal_(::isatty(STDERR_FILENO) == 1) {}

  void show(const store::CopyProgress& p) {
    if (!terminal_) {
      if (p.table_done == p.table_rows && p.table != last_table_) {
        out_ << fmt::format("copied {}: {} rows\n", p.table, p.table_rows);
        last_table_ = p.table;
      }
      return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (p.done != p.total && now - drawn_ < std::chrono::milliseconds(100)) return;
    drawn_ = now;
    constexpr int kWidth = 30;
    const double share =
        p.total == 0 ? 1.0 : static_cast<double>(p.done) / static_cast<double>(p.total);
    const int filled = static_cast<int>(share * kWidth);
    out_ << fmt::format("\rcopying  [{}{}] {:3}%  {} / {} rows  {:<18}", std::string(filled, '#'),
                        std::string(kWidth - filled, '.'), static_cast<int>(share * 100), p.done,
                        p.total, p.table)
         << std::flush;
  }

  void end() {
    if (terminal_ && drawn_ != std::chrono::steady_clock::time_point{}) out_ << '\n';
  }

 private:
  std::ostream& out_;
  bool terminal_;
  std::chrono::steady_clock::time_point drawn_{};
  std::string last_table_;
};

int copy(const CopyOptions& options) {
  std::string to = options.to;
  if (to.empty()) {
    config::StoreSettingsResult loaded = config::load_store_settings(options.common.config_path);
    if (!loaded.ok()) {
      for (const config::Problem& problem : loaded.problems)
        std::cerr << problem.to_string() << '\n';
      return fail(std::cerr,
                  "cannot load the configuration " + options.common.config_path +
                      " for the target store (store.url)",
                  "fix the problems above, or name the target with --to URL");
    }
    to = loaded.main->store.url;
  }
  ProgressBar bar(std::cerr);
  auto report =
      store::copy_store(options.from, to, [&bar](const store::CopyProgress& p) { bar.show(p); });
  bar.end();
  if (!report) {
    return fail(std::cerr,
                "cannot copy " + redacted(options.from) + " to " + redacted(to) + ": " +
                    report.error().message,
                "the target is unchanged; fix the cause above and run the copy again (stop the "
                "daemon first: the copy is a snapshot of the source)");
  }
  if (options.common.json) {
    nlohmann::json tables = nlohmann::json::array();
    for (const auto& t : report->tables) tables.push_back({{"table", t.name}, {"rows", t.rows}});
    print_json(std::cout, {{"from", redacted(options.from)},
                           {"to", redacted(to)},
                           {"schema_version", report->schema_version},
                           {"tables", tables},
                           {"rows", report->rows}});
    return kExitOk;
  }
  Table table({"TABLE", "ROWS"});
  for (const auto& t : report->tables) table.add({t.name, std::to_string(t.rows)});
  table.print(std::cout);
  std::cout << "copied " << report->rows << " rows from " << redacted(options.from) << " to "
            << redacted(to) << " (schema version " << report->schema_version << ")\n";
  return kExitOk;
}

}  // namespace

void add_store_copy(Command store, Action& action) {
  auto options = std::make_shared<CopyOptions>();
  Command command = add_command(
      store, "copy",
      "copy the whole store into a new, empty one (e.g. SQLite to PostgreSQL); stop the daemon "
      "first",
      action, [options] { return [options] { return copy(*options); }; });
  command
      .option("--from", options->from,
              "the store to copy, e.g. sqlite:///var/lib/ttbridge/ttbridge.db")
      .required();
  command.option("--to", options->to,
                 "the new, empty store, e.g. postgresql://ttbridge@db/ttbridge (default: "
                 "store.url of --config)");
  add_common_options(command, options->common);
}

}  // namespace ttb::app::cli
