// `${env:NAME}` and `${file:PATH}` references in config scalars (core/config/references.h),
// resolved in every scalar of a YAML document read from memory. Input: the YAML text.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/document.h"
#include "config/references.h"
#include "config_fixture.h"
#include "fuzz_support.h"

namespace config = ttb::config;

namespace {

// Visits at most `budget` nodes: aliases share nodes, so a plain walk can be exponential.
void resolve_all(config::Document& doc, const config::Environment& env, const YAML::Node& node,
                 int& budget) {
  if (--budget < 0) return;
  if (node.IsScalar()) {
    const std::size_t before = doc.problem_count();
    const std::optional<std::string> value = config::resolve_references(doc, env, node, "fuzz");
    // Either a value or at least one problem naming what is wrong, never both missing.
    TTB_FUZZ_CHECK(value.has_value() || doc.problem_count() > before);
    if (value) {
      // Secrets never come back with the reference syntax still in them, except written as $${.
      TTB_FUZZ_CHECK(value->find("${env:") == std::string::npos ||
                     node.Scalar().find("$${") != std::string::npos);
    }
    return;
  }
  if (node.IsSequence()) {
    for (const YAML::Node& child : node) resolve_all(doc, env, child, budget);
  } else if (node.IsMap()) {
    for (const auto& pair : node) resolve_all(doc, env, pair.second, budget);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = ttb::fuzz::as_text(data, size);
  if (!ttb::fuzz::stays_in_fixture(text)) return -1;  // not added to the corpus
  std::vector<config::Problem> problems;
  config::Document doc(ttb::fuzz::config_dir() / "ttbridged.yaml", std::string(text), problems);
  const std::optional<YAML::Node> root = doc.parse();
  if (!root) {
    TTB_FUZZ_CHECK(!problems.empty());
    return 0;
  }
  const config::Environment env = ttb::fuzz::fixed_environment();
  int budget = 10000;
  resolve_all(doc, env, *root, budget);
  ttb::fuzz::check_no_secret_in(problems, text);
  return 0;
}
