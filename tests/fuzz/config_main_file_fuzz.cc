// The main config file reader (core/config/main_file.h, read_main_file) on any YAML text; the
// text is written to a file in the fixture folder because the reader takes a path (relative
// `${file:...}` paths resolve against its folder). A file read without problems keeps the promises
// of its `teamtailor.connections`. Input: the file's text.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "config/main_file.h"
#include "config_fixture.h"
#include "fuzz_support.h"

namespace config = ttb::config;

namespace {

// What a file without problems promises of `teamtailor.connections`: named by the name rule,
// never "default" (the top-level keys), each name once, api_url without a trailing slash, and
// each found again by its name.
void check_connections(const config::TeamtailorSettings& teamtailor) {
  const auto valid_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  };
  std::set<std::string> names;
  for (const config::TeamtailorConnection& c : teamtailor.connections) {
    TTB_FUZZ_CHECK(!c.name.empty() && c.name.size() <= 63);
    TTB_FUZZ_CHECK(std::all_of(c.name.begin(), c.name.end(), valid_char));
    TTB_FUZZ_CHECK(c.name != config::kDefaultConnection);
    TTB_FUZZ_CHECK(names.insert(c.name).second);
    TTB_FUZZ_CHECK(!c.api_url.empty() && c.api_url.back() != '/');
    const auto found = teamtailor.connection(c.name);
    TTB_FUZZ_CHECK(found && found->api_url == c.api_url);
  }
  TTB_FUZZ_CHECK(teamtailor.all_connections().size() == teamtailor.connections.size() + 1);
  TTB_FUZZ_CHECK(teamtailor.connection("") &&
                 teamtailor.connection("")->api_url == teamtailor.api_url);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = ttb::fuzz::as_text(data, size);
  if (!ttb::fuzz::stays_in_fixture(text)) return -1;  // not added to the corpus
  const auto path = ttb::fuzz::write_fixture("ttbridged.yaml", text);
  std::vector<config::Problem> problems;
  // Expected errors come back as problems: an escaping exception ends the run as a crash.
  const config::MainFile main =
      config::read_main_file(path, ttb::fuzz::fixed_environment(), problems);
  TTB_FUZZ_CHECK(main.settings.file == path);
  for (const config::Problem& problem : problems) TTB_FUZZ_CHECK(!problem.message.empty());
  ttb::fuzz::check_no_secret_in(problems, text);
  if (problems.empty()) check_connections(main.settings.teamtailor);
  return 0;
}
