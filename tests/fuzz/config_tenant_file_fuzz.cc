// The tenant file reader (core/config/tenant_file.h, read_tenant_file) on any YAML text; the text
// is written to a file in the fixture folder because the reader takes a path. An accepted tenant's
// activation token is as strong as the rule asks. Input: the file's text.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "config/tenant_file.h"
#include "config/token_strength.h"
#include "config_fixture.h"
#include "fuzz_support.h"

namespace config = ttb::config;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = ttb::fuzz::as_text(data, size);
  if (!ttb::fuzz::stays_in_fixture(text)) return -1;  // not added to the corpus
  const auto path = ttb::fuzz::write_fixture("tenants/acme.yaml", text);
  config::PluginFiles plugins(ttb::fuzz::config_dir() / "plugins");
  std::vector<config::Problem> problems;
  // Expected errors come back as problems: an escaping exception ends the run as a crash.
  const std::optional<config::TenantFile> tenant =
      config::read_tenant_file(path, ttb::fuzz::fixed_environment(), plugins, problems);
  if (!tenant) TTB_FUZZ_CHECK(!problems.empty());
  if (tenant && problems.empty()) {
    TTB_FUZZ_CHECK(!tenant->settings.id.empty());
    TTB_FUZZ_CHECK(!tenant->settings.activation_token.empty());
    // An accepted token carries the minimum strength (core/config/token_strength.h).
    const std::optional<int> bits = config::token_bits(tenant->settings.activation_token.reveal());
    TTB_FUZZ_CHECK(bits && *bits >= config::kMinTokenBits);
  }
  ttb::fuzz::check_no_secret_in(problems, text);
  return 0;
}
