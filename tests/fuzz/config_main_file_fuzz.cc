// The main config file reader (core/config/main_file.h, read_main_file) on any YAML text; the
// text is written to a file in the fixture folder because the reader takes a path (relative
// `${file:...}` paths resolve against its folder). Input: the file's text.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "config/main_file.h"
#include "config_fixture.h"
#include "fuzz_support.h"

namespace config = ttb::config;

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
  return 0;
}
