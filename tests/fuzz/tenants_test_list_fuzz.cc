// The test list a plugin returns from list_tests (core/tenants/test_catalog.h, parse_tests),
// served to Teamtailor's "send test" pop-up. Input: the JSON text.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "tenants/test_catalog.h"

namespace tenants = ttb::tenants;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string error;
  // A bad list is refused with a message: an escaping exception ends the run as a crash.
  const std::optional<std::vector<tenants::TestInfo>> tests =
      tenants::parse_tests(std::string(ttb::fuzz::as_text(data, size)), error);
  if (!tests) {
    TTB_FUZZ_CHECK(!error.empty());
    return 0;
  }
  // What the pop-up may show: ids within Teamtailor's limit, a known kind, bounded texts, and a
  // duration that is a real number of minutes.
  for (const tenants::TestInfo& test : *tests) {
    TTB_FUZZ_CHECK(!test.id.empty() && test.id.size() <= 200);
    TTB_FUZZ_CHECK(test.kind == "assessment" || test.kind == "background_check");
    TTB_FUZZ_CHECK(test.description.size() <= 4096);
    TTB_FUZZ_CHECK(!test.duration_minutes ||
                   (*test.duration_minutes > 0 && *test.duration_minutes <= 100000));
  }
  return 0;
}
