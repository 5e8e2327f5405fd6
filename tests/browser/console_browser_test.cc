// The web console in a real browser: the real ttbridged with the fakes on loopback (the demo's
// stack, its admin listener guarded by a token), one order whose invitation the vendor refused
// (a dead letter, the card `failed`) and one that went out, then console.test.mjs drives the
// system's headless Chromium through the console: login, search, the order's timeline, Retry,
// the card moving to `sent`, every page at 1280 and 390 px (and, first, /console/ on the admin
// listener only). Screenshots go to <build>/test-artifacts/console/. Exit 77 (ctest: skipped)
// when node, the node modules (`npm ci` in tests/browser) or /usr/bin/chromium are missing,
// unless TTB_REQUIRE_BROWSER=1 (scripts/test sets it), which makes that a failure.

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "loopback_stack.h"

namespace {

namespace fs = std::filesystem;
using ttb::demo::LoopbackStack;
using ttb::testing::eventually;

constexpr const char* kAdminToken = "console-browser-test-admin-token-7f3c";
constexpr const char* kTest = "T100";
constexpr const char* kChromium = "/usr/bin/chromium";
constexpr int kSkipped = 77;

const fs::path kBrowserDir = fs::path(TTB_SOURCE_DIR) / "tests" / "browser";
const fs::path kArtifacts = fs::path(TTB_ARTIFACT_DIR);

// Single quotes for /bin/sh; the values here are ours (paths, ids, URLs).
std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  out += "'";
  return out;
}

// Empty when the browser can run, else what is missing and how to get it.
std::string missing_browser() {
  if (std::system("command -v node >/dev/null 2>&1") != 0) {
    return "node is not installed (Debian: apt install nodejs)";
  }
  if (!fs::exists(kBrowserDir / "node_modules" / "playwright-core" / "package.json")) {
    return "tests/browser/node_modules is missing; run `npm ci` in tests/browser (scripts/test "
           "does)";
  }
  if (::access(kChromium, X_OK) != 0) {
    return std::string(kChromium) + " is missing; scripts/setup installs the package chromium";
  }
  return {};
}

int fail(const std::string& message, LoopbackStack& stack) {
  std::cerr << "console browser test: " << message << "\n--- ttbridged log ---\n"
            << stack.engine().log() << "\n";
  return 1;
}

std::string send(LoopbackStack& stack, const std::string& first, const std::string& last,
                 const std::string& email,
                 const std::string& test = std::string("codility:") + kTest) {
  ttb::fakes::WebhookParams params;
  params.test = test;
  params.first_name = first;
  params.last_name = last;
  params.email = email;
  params.update_url_base = stack.teamtailor().api_url();
  auto sent = stack.recruiter().send(LoopbackStack::kActivationToken, params);
  return sent.response.status == 202 ? sent.params.partner_result_id : std::string();
}

std::string card_status(LoopbackStack& stack, const std::string& id) {
  nlohmann::json card = stack.teamtailor().current(id);
  return card.is_object() ? card.value("status", "") : std::string();
}

}  // namespace

int main() {
  if (std::string missing = missing_browser(); !missing.empty()) {
    const char* required = std::getenv("TTB_REQUIRE_BROWSER");
    std::cerr << "console browser test: " << missing << "\n";
    return required != nullptr && std::string(required) == "1" ? 1 : kSkipped;
  }

  // One call the vendor does not answer opens its breaker, for longer than the test runs: the
  // overview then shows an outage.
  LoopbackStack stack(kAdminToken,
                      "jobs:\n  breaker: { failures: 1, open_s: 3600, open_max_s: 3600 }\n");
  stack.codility().add_test({kTest, "Backend (C++)", false});
  stack.hackerrank().add_tests(1);
  if (!stack.start()) return fail("ttbridged did not start", stack);
  // List the tests first, so that the fault below hits the invitation's first request.
  if (stack.engine().config_form(LoopbackStack::kActivationToken).dump().find(kTest) ==
      std::string::npos) {
    return fail("the config form does not offer the Codility test", stack);
  }

  // The console is the admin listener's only, served with its policy.
  if (stack.engine().request("GET", "/console/").status != 404) {
    return fail("the public listener serves /console/", stack);
  }
  const ttb::net::ClientResponse page = stack.engine().admin_request("GET", "/console/");
  if (page.status != 200 ||
      page.header("Content-Security-Policy").value_or("").rfind("default-src 'self'", 0) != 0) {
    return fail("the admin listener does not serve /console/ with its policy", stack);
  }

  // The vendor refuses our credentials once: the invite job is dead, the card `failed`.
  stack.codility().inject(ttb::fakes::codility::Fault::error(401));
  const std::string refused = send(stack, "Ada", "Lovelace", "ada@example.org");
  if (refused.empty()) return fail("the first webhook was not accepted", stack);
  if (!eventually([&] { return card_status(stack, refused) == "failed"; })) {
    return fail("the refused order's card never became failed", stack);
  }
  // The credentials are fixed: a second order goes out, so the search has something to skip.
  const std::string sent = send(stack, "Grace", "Hopper", "grace@example.org");
  if (sent.empty()) return fail("the second webhook was not accepted", stack);
  if (!eventually([&] { return card_status(stack, sent) == "sent"; })) {
    return fail("the second order's card never became sent", stack);
  }
  // Then another vendor stops answering: a third order's invitation waits for it, and the
  // console's overview shows the outage.
  stack.hackerrank().inject(ttb::fakes::hackerrank::Fault{});  // 503
  if (send(stack, "Alan", "Turing", "alan@example.org", "hackerrank:t1").empty()) {
    return fail("the third webhook was not accepted", stack);
  }
  if (!eventually([&] { return !stack.events("vendor_breaker_opened").empty(); })) {
    return fail("the vendor's breaker never opened", stack);
  }

  fs::remove_all(kArtifacts);
  fs::create_directories(kArtifacts);
  const std::vector<std::string> args = {
      "node",          (kBrowserDir / "console.test.mjs").string(),
      "--url",         stack.engine().admin_url() + "/console",
      "--token",       kAdminToken,
      "--order",       refused,
      "--email",       "ada@example.org",
      "--other-order", sent,
      "--chromium",    kChromium,
      "--artifacts",   kArtifacts.string()};
  std::string command;
  for (const auto& arg : args) command += quoted(arg) + " ";
  const int status = std::system(command.c_str());
  if (status != 0) return fail("console.test.mjs failed (its output is above)", stack);

  // What the browser saw is what Teamtailor has: the retried invitation went out once.
  if (card_status(stack, refused) != "sent") return fail("the card is not sent after Retry", stack);
  if (stack.codility().invitations_created() < 2) {
    return fail("the retried invitation never reached the vendor", stack);
  }
  std::cout << "console browser test: passed; screenshots in " << kArtifacts.string() << "\n";
  return 0;
}
