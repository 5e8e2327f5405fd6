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
  for (const tenants::TestInfo& test : *tests) {
    TTB_FUZZ_CHECK(!test.id.empty());
    TTB_FUZZ_CHECK(!test.name.empty() || test.name.empty());  // any string, never a throw
    TTB_FUZZ_CHECK(!test.kind.empty());
  }
  return 0;
}
