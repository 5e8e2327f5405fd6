// ttbridge plugin doc-table PATH.so [--check FILE.md | --update FILE.md]: the config table of a
// plugin's doc, generated from its config schema (ABI 1.1). Prints the table; --update rewrites
// the marked table of FILE.md; --check exits 1 when FILE.md's table differs (a ctest runs it on
// every docs/plugins/<vendor>.md).

#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/cli_commands.h"
#include "app/config_table.h"
#include "config/provider_schema.h"
#include "plugins/internal/loader.h"

namespace ttb::app::cli {
namespace {

struct Options {
  std::string plugin;
  std::string check;   // FILE.md to compare with
  std::string update;  // FILE.md to rewrite
};

int doc_table(const Options& options) {
  auto loaded = plugins::load_plugin(options.plugin);
  if (!loaded.plugin) return fail(std::cerr, loaded.error);
  if (loaded.plugin->config_schema.empty()) {
    return fail(std::cerr, "plugin " + loaded.plugin->id + " declares no config schema",
                "declare one in its descriptor (ABI 1.1, docs/plugin-abi.md)");
  }
  auto schema = nlohmann::json::parse(loaded.plugin->config_schema, nullptr, false);
  auto broken = schema.is_discarded() ? std::vector<std::string>{"it is not valid JSON"}
                                      : config::schema_problems(schema);
  if (!broken.empty()) {
    return fail(std::cerr, "plugin " + loaded.plugin->id + "'s config schema: " + broken.front());
  }
  // Parsed again keeping the schema's order, so the rows follow the plugin's own order.
  const std::string table =
      config_table(nlohmann::ordered_json::parse(loaded.plugin->config_schema));
  const std::string file = !options.check.empty() ? options.check : options.update;
  if (file.empty()) {
    std::cout << table;
    return kExitOk;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail(std::cerr, "cannot read " + file);
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  auto generated = with_config_table(doc, table);
  if (!generated) {
    return fail(std::cerr, file + " has no generated config table",
                std::string("put the lines\n    ") + kConfigTableBegin + "\n    " +
                    kConfigTableEnd + "\n  where the table belongs, then run with --update");
  }
  if (!options.check.empty()) {
    if (*generated == doc) {
      std::cout << file << ": config table matches plugin " << loaded.plugin->id << "\n";
      return kExitOk;
    }
    return fail(std::cerr,
                file + ": the config table differs from what plugin " + loaded.plugin->id +
                    "'s schema generates:\n" + table,
                "run `ttbridge plugin doc-table " + options.plugin + " --update " + file +
                    "` and commit the result");
  }
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << *generated;
  if (!out) return fail(std::cerr, "cannot write " + file);
  std::cout << file << ": config table updated\n";
  return kExitOk;
}

}  // namespace

void add_plugin_doc_table(Command plugin, Action& action) {
  auto options = std::make_shared<Options>();
  Command command = add_command(
      plugin, "doc-table",
      "print the config table of a plugin's doc, generated from its config schema; --check or "
      "--update a doc's marked table",
      action, [options] { return [options] { return doc_table(*options); }; });
  command.option("plugin", options->plugin, "the plugin's shared library (PATH.so)").required();
  Option check =
      command.option("--check", options->check, "exit 1 when FILE.md's generated table differs");
  command.option("--update", options->update, "rewrite FILE.md's generated table").excludes(check);
}

}  // namespace ttb::app::cli
