// The daemon of the ttbridge package, unpacked into a throwaway root (ROOT = `dpkg -x` target),
// run on the package's own config and against fakes of Teamtailor and Checkr: the config's
// installed paths (plugins, tenants, store) are moved under ROOT, nothing else. It must serve
// /healthz and /readyz and take a signed webhook through to an invitation at the vendor.
// Usage: ttb_package_installed_daemon ROOT. Exit 0 when everything held; else the failing step
// and the daemon's log on stderr. tests/package/package_test.sh runs it.

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "daemon_process.h"
#include "engine_fixture.h"
#include "fakes/checkr/fake_checkr.h"
#include "fakes/teamtailor/fake_teamtailor.h"
#include "fakes/teamtailor/webhook_sender.h"
#include "net/http_client.h"

namespace {

namespace fs = std::filesystem;
using ttb::testing::eventually;

constexpr const char* kActivationToken = "package-test-activation-token";
constexpr const char* kWebhookSecret = "package-test-webhook-secret";

// Concatenation by appending: GCC 12 at -O3 (the Release build) warns falsely (-Wrestrict) on
// "literal" + std::string (docs/toolchain-gcc12-o3.md).
std::string join(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto part : parts) out += part;
  return out;
}

struct Failure {
  std::string what;
};

void check(bool ok, const std::string& what) {
  if (!ok) throw Failure{what};
  std::cout << "ok: " << what << '\n';
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw Failure{join({"cannot read ", path.string()})};
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  if (!out) throw Failure{join({"cannot write ", path.string()})};
}

// Replaces every `from` in `text`; a packaged file that no longer holds it fails the test, since
// the installed paths and defaults are what this test is about.
void replace_all(std::string& text, const std::string& from, const std::string& to,
                 const std::string& file) {
  if (text.find(from) == std::string::npos) throw Failure{file + " no longer holds " + from};
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

// The packaged main config with its installed paths moved under `root`, the listeners on
// loopback ports of this run and Teamtailor's API at the fake.
void configure_main(const fs::path& root, unsigned short port, const std::string& teamtailor_api) {
  const fs::path path = root / "etc/ttbridge/ttbridged.yaml";
  const std::string name = "the packaged /etc/ttbridge/ttbridged.yaml";
  std::string yaml = read_file(path);
  const std::string r = root.string();
  replace_all(yaml, "\"/usr/lib/ttbridge/plugins\"", join({"\"", r, "/usr/lib/ttbridge/plugins\""}),
              name);
  replace_all(yaml, "\"/etc/ttbridge/tenants\"", join({"\"", r, "/etc/ttbridge/tenants\""}), name);
  replace_all(yaml, "\"sqlite:///var/lib/ttbridge/", join({"\"sqlite://", r, "/var/lib/ttbridge/"}),
              name);
  replace_all(yaml, "127.0.0.1:8080", join({"127.0.0.1:", std::to_string(port)}), name);
  replace_all(yaml, "127.0.0.1:9090", "127.0.0.1:0", name);
  replace_all(yaml, "https://api.teamtailor.com/partner/v1", teamtailor_api, name);
  write_file(path, yaml);
}

// The packaged example tenant, enabled as an operator would: copied to acme.yaml, its token file
// written, and the Checkr provider (the fake's URL) in place of `providers: []`.
void configure_tenant(const fs::path& root, const std::string& checkr_url) {
  const fs::path dir = root / "etc/ttbridge/tenants";
  std::string yaml = read_file(dir / "acme.yaml.example");
  replace_all(yaml, "providers: []",
              join({"providers:\n"
                    "  - name: checkr\n"
                    "    plugin: checkr\n"
                    "    config:\n"
                    "      api_key: \"${env:PACKAGE_TEST_CHECKR_KEY}\"\n"
                    "      base_url: \"",
                    checkr_url,
                    "\"\n"
                    "      work_location: { country: US, state: CA, city: San Francisco }\n"}),
              "the packaged acme.yaml.example");
  write_file(dir / "acme.yaml", yaml);
  write_file(dir / "acme.token", kActivationToken);
  fs::permissions(dir / "acme.token", fs::perms::owner_read | fs::perms::owner_write);
}

int get_status(ttb::net::HttpClient& http, const std::string& url) {
  ttb::net::ClientRequest request;
  request.url = url;
  return http.send(request).status;
}

void run(const fs::path& root) {
  const fs::path daemon = root / "usr/sbin/ttbridged";
  check(fs::exists(daemon), join({"the package holds ", daemon.string()}));

  ttb::fakes::FakeTeamtailor teamtailor;
  ttb::fakes::checkr::FakeCheckr checkr;
  const std::string api_key = ttb::fakes::FakeTeamtailorOptions{}.api_key;
  const unsigned short port = ttb::testing::free_loopback_port();
  configure_main(root, port, teamtailor.api_url());
  configure_tenant(root, checkr.base_url());

  // As the unit runs it: working directory /var/lib/ttbridge, secrets in the environment.
  ttb::testing::DaemonProcess process(root / "etc/ttbridge/ttbridged.yaml",
                                      root / "var/lib/ttbridge",
                                      {{"TTBRIDGE_TT_API_KEY", api_key},
                                       {"TTBRIDGE_TT_WEBHOOK_SECRET", kWebhookSecret},
                                       {"PACKAGE_TEST_CHECKR_KEY", checkr.api_key()}},
                                      daemon);
  try {
    check(process.start(), "the installed ttbridged starts on the packaged config");
    std::shared_ptr<ttb::net::HttpClient> http = ttb::net::make_http_client();
    check(get_status(*http, process.base_url() + "/healthz") == 200, "public /healthz is 200");
    check(get_status(*http, process.admin_url() + "/healthz") == 200, "admin /healthz is 200");
    check(get_status(*http, process.admin_url() + "/readyz") == 200, "admin /readyz is 200");

    ttb::fakes::WebhookSender recruiter(http, process.base_url(), kWebhookSecret, api_key);
    ttb::fakes::WebhookParams params;
    params.test = "checkr:basic_criminal";
    params.update_url_base = teamtailor.api_url();
    auto sent = recruiter.send(kActivationToken, params);
    check(sent.response.status == 202, "a signed webhook is accepted (202)");
    check(eventually([&] { return checkr.invitation_ids().size() == 1; }),
          "the installed checkr plugin invited the candidate at the vendor");
    const std::string order = sent.params.partner_result_id;
    check(eventually([&] {
            const auto card = teamtailor.current(order);  // null before the first write
            return card.is_object() && card.value("status", "") == "sent";
          }),
          "Teamtailor's result card says sent");
    check(fs::exists(root / "var/lib/ttbridge/ttbridge.db"), "the store is in /var/lib/ttbridge");

    process.signal(SIGTERM);
    auto status = process.wait_exit();
    check(status && *status == 0, "SIGTERM stops it cleanly (exit 0)");
  } catch (const Failure&) {
    std::cerr << "--- ttbridged log ---\n" << process.log() << "---\n";
    throw;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: ttb_package_installed_daemon ROOT (a dpkg -x of the ttbridge package)\n";
    return 2;
  }
  try {
    run(fs::absolute(argv[1]));
  } catch (const Failure& failure) {
    std::cerr << "FAILED: " << failure.what << '\n';
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "FAILED: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
