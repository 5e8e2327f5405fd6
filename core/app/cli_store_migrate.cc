// ttbridge store migrate: applies the store's pending schema migrations and prints its schema
// version, the database's own (a newer ttbridge may have taken it further). The daemon migrates at
// start too; with several daemons on one PostgreSQL database, running this first (e.g. from a
// deployment step) keeps the schema change out of their starts.

#include <iostream>

#include "app/cli_commands.h"
#include "app/cli_output.h"
#include "store/migrations.h"

namespace ttb::app::cli {
namespace {

int migrate(const CommonOptions& options) {
  auto config = load_config(options.config_path, std::cerr);
  if (!config) return kExitProblem;
  const config::StoreSettings& settings = config->main.store;
  auto version = store::migrate_store(settings.url);
  if (!version) {
    return fail(
        std::cerr,
        "cannot migrate the store " + settings.redacted_url() + ": " + version.error().message,
        "check store.url in " + config->main.file.string() +
            " (for SQLite, that its directory exists and is writable; for PostgreSQL, "
            "that the server runs and the user may create tables)");
  }
  // Both dialects number their migrations alike.
  const int known = store::migrations(store::Dialect::sqlite).back().version;
  if (options.json) {
    print_json(std::cout, {{"store", settings.redacted_url()},
                           {"schema_version", *version},
                           {"known_schema_version", known}});
  } else {
    std::cout << "store " << settings.redacted_url() << ": schema version " << *version;
    if (*version > known)
      std::cout << " (a newer ttbridge's: this one knows up to " << known << ")";
    std::cout << '\n';
  }
  return kExitOk;
}

}  // namespace

void add_store_migrate(Command store, Action& action) {
  auto options = std::make_shared<CommonOptions>();
  Command command = add_command(
      store, "migrate", "apply the store's pending schema migrations and print its version", action,
      [options] { return [options] { return migrate(*options); }; });
  add_common_options(command, *options);
}

}  // namespace ttb::app::cli
