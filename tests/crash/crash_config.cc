#include "crash_config.h"

#include <filesystem>

#include "daemon_process.h"

namespace ttb::crash {

std::string write_crash_config(const ttb::testing::TempDir& dir,
                               const fakes::FakeTeamtailor& teamtailor,
                               const fakes::checkr::FakeCheckr& checkr,
                               const std::string& store_url, const std::string& extra_yaml) {
  std::filesystem::create_directories(dir / "var");
  dir.write("tenants/acme.yaml",
            "id: acme\n"
            "activation_token: \"" +
                std::string(kActivationToken) +
                "\"\n"
                "providers:\n"
                "  - name: checkr\n"
                "    plugin: checkr\n"
                "    config:\n"
                "      api_key: \"" +
                checkr.api_key() +
                "\"\n"
                "      base_url: \"" +
                checkr.base_url() +
                "\"\n"
                "      work_location: { country: US, state: CA, city: San Francisco }\n");
  dir.write("ttbridged.yaml",
            "server:\n"
            "  listen: \"127.0.0.1:0\"\n"
            "  public_url: \"http://127.0.0.1:9\"\n"
            "admin: { listen: \"127.0.0.1:0\" }\n"
            "teamtailor:\n"
            "  api_url: \"" +
                teamtailor.api_url() +
                "\"\n"
                "  api_key: \"" +
                teamtailor.api_key() +
                "\"\n"
                "  webhook_secret: \"" +
                std::string(kWebhookSecret) +
                "\"\n"
                "store: { url: \"" +
                store_url +
                "\" }\n"
                "plugins: { dir: \"" +
                ttb::testing::plugin_dir().string() +
                "\" }\n"
                "tenants: { dir: \"" +
                (dir / "tenants").string() + "\" }\n" + extra_yaml);
  return (dir / "ttbridged.yaml").string();
}

World crash_world(const CrashSettings& settings, Ledger& ledger, VendorView& vendor,
                  fakes::checkr::FakeCheckr& checkr, const fakes::FakeTeamtailor& teamtailor,
                  std::set<std::string>* decided) {
  return World{settings,
               ledger,
               vendor,
               checkr,
               kWebhookSecret,
               teamtailor.api_key(),
               kActivationToken,
               "checkr:basic_criminal",
               "/callbacks/acme/checkr",
               decided};
}

}  // namespace ttb::crash
