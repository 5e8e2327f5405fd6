// ttbridge tenants new NAME: writes a tenant file with a fresh 256-bit activation token, either
// printed once or written to a token file only its owner may read (docs/cli.md, "tenants new").
// The file is checked by loading the whole configuration again; a file that does not load is
// removed, so the command never leaves a config that `config check` refuses.

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "app/cli_commands.h"
// checks.h is ttb_config's own header; the CLI uses its name rule so that a tenant id never
// becomes a path outside tenants.dir.
#include "config/checks.h"
#include "config/load.h"
#include "config/token_strength.h"

namespace ttb::app::cli {
namespace {

constexpr std::size_t kTokenBytes = 32;  // 256 bits, written as 64 hex digits

struct Options {
  CommonOptions common;
  std::string id;
  std::vector<std::string> providers;  // "NAME" or "NAME=PLUGIN"
  std::string company_uuid;
  std::string connection;
  std::string token_file;
};

std::optional<std::string> random_token() {
  std::array<unsigned char, kTokenBytes> bytes{};
  std::size_t filled = 0;
  while (filled < bytes.size()) {
    const ssize_t n = ::getrandom(bytes.data() + filled, bytes.size() - filled, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return std::nullopt;
    }
    filled += static_cast<std::size_t>(n);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token;
  for (unsigned char b : bytes) {
    token += kHex[b >> 4];
    token += kHex[b & 0xf];
  }
  return token;
}

// Creates `path` with `mode`, failing if it exists (O_EXCL: no race with another writer).
bool write_new_file(const std::filesystem::path& path, const std::string& text, mode_t mode,
                    std::string& error) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    error = std::strerror(errno);
    return false;
  }
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = std::strerror(errno);
      ::close(fd);
      std::filesystem::remove(path);
      return false;
    }
    written += static_cast<std::size_t>(n);
  }
  // The umask may have narrowed the mode; a secret file must be exactly owner-only.
  if (::fchmod(fd, mode) != 0 || ::close(fd) != 0) {
    error = std::strerror(errno);
    std::filesystem::remove(path);
    return false;
  }
  return true;
}

// YAML double-quoted scalar: the values here are names, uuids and paths, but a path may hold
// a quote or a backslash.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

struct ProviderFlag {
  std::string name, plugin;
};

std::optional<ProviderFlag> parse_provider(const std::string& flag) {
  const std::size_t eq = flag.find('=');
  ProviderFlag p;
  p.name = flag.substr(0, eq);
  p.plugin = eq == std::string::npos ? p.name : flag.substr(eq + 1);
  if (!config::is_valid_name(p.name) || !config::is_valid_name(p.plugin)) return std::nullopt;
  return p;
}

int create(const Options& options) {
  auto config = load_config(options.common.config_path, std::cerr);
  if (!config) return kExitProblem;
  const config::MainSettings& main = config->main;

  for (const config::TenantSettings& tenant : config->tenants) {
    if (tenant.id == options.id) {
      return fail(std::cerr,
                  fmt::format("tenant '{}' already exists in {}", options.id, tenant.file.string()),
                  "pick another name, or edit that file");
    }
  }
  if (!options.connection.empty() && !main.teamtailor.connection(options.connection)) {
    std::cerr << "error: --connection " << options.connection
              << " is not a connection of teamtailor.connections in " << main.file.string() << "\n";
    return kExitUsage;
  }
  std::vector<ProviderFlag> providers;
  for (const std::string& flag : options.providers) {
    auto provider = parse_provider(flag);
    if (!provider) {
      std::cerr << "error: --provider '" << flag << "' is not NAME or NAME=PLUGIN (each "
                << config::kNameRule << ")\n";
      return kExitUsage;
    }
    const std::filesystem::path plugin_file = main.plugins_dir / (provider->plugin + ".so");
    std::error_code ec;
    if (!std::filesystem::is_regular_file(plugin_file, ec)) {
      return fail(std::cerr, fmt::format("plugin file {} does not exist", plugin_file.string()),
                  fmt::format("build or install the plugin {} first, or name another plugin with "
                              "--provider {}=PLUGIN",
                              provider->plugin, provider->name));
    }
    providers.push_back(std::move(*provider));
  }

  const std::filesystem::path tenant_file = main.tenants_dir / (options.id + ".yaml");
  std::error_code ec;
  const std::filesystem::path other_spelling = main.tenants_dir / (options.id + ".yml");
  if (std::filesystem::exists(tenant_file, ec) || std::filesystem::exists(other_spelling, ec)) {
    return fail(std::cerr,
                fmt::format("the tenant file {} (or .yml) already exists", tenant_file.string()),
                "ttbridge tenants new never overwrites a tenant; pick another name or edit it");
  }
  const std::optional<std::string> token = random_token();
  if (!token || config::token_bits(*token).value_or(0) < config::kMinTokenBits) {
    return fail(std::cerr, "cannot draw a random token from the system (getrandom failed)");
  }

  std::string yaml = "# Written by ttbridge tenants new; see docs/configuration.md.\n";
  yaml += fmt::format("id: {}\n", options.id);
  if (!options.company_uuid.empty()) {
    yaml += fmt::format("company_uuid: {}\n", quoted(options.company_uuid));
  }
  std::filesystem::path token_path;
  if (!options.token_file.empty()) {
    token_path = std::filesystem::absolute(options.token_file, ec);
    yaml += fmt::format("activation_token: {}\n",
                        quoted(fmt::format("${{file:{}}}", token_path.string())));
  } else {
    yaml += fmt::format("activation_token: {}\n", quoted(*token));
  }
  if (!options.connection.empty()) {
    yaml += fmt::format("teamtailor_connection: {}\n", options.connection);
  }
  if (providers.empty()) {
    yaml += "providers: []\n";
  } else {
    yaml += "providers:\n";
    for (const ProviderFlag& p : providers) {
      yaml += fmt::format(
          "  - name: {}\n    plugin: {}\n    config: {{}}   # the plugin's settings: see "
          "docs/plugins/{}.md\n",
          p.name, p.plugin, p.plugin);
    }
  }

  std::string error;
  if (!token_path.empty() && !write_new_file(token_path, *token + '\n', 0600, error)) {
    return fail(std::cerr,
                fmt::format("cannot create the token file {} ({})", token_path.string(), error),
                "ttbridge tenants new never overwrites a file; remove it or pick another path");
  }
  // A tenant file that holds the token itself is a secret file too.
  if (!write_new_file(tenant_file, yaml, token_path.empty() ? 0600 : 0644, error)) {
    if (!token_path.empty()) std::filesystem::remove(token_path, ec);
    return fail(std::cerr, fmt::format("cannot create {} ({})", tenant_file.string(), error));
  }

  config::LoadResult check = config::load_config(options.common.config_path);
  if (!check.ok()) {
    for (const config::Problem& problem : check.problems) std::cerr << problem.to_string() << '\n';
    std::filesystem::remove(tenant_file, ec);
    if (!token_path.empty()) std::filesystem::remove(token_path, ec);
    return fail(std::cerr, "the new tenant file did not load, so it was removed again",
                "fix the problems above (a --provider value, the plugin names) and run the "
                "command again");
  }

  std::cout << "wrote " << tenant_file.string() << " (tenant " << options.id << ", "
            << providers.size() << (providers.size() == 1 ? " provider" : " providers") << ")\n";
  if (token_path.empty()) {
    std::cout << "activation token (shown this once; it is also in the tenant file):\n"
              << *token << '\n';
  } else {
    std::cout << "wrote the activation token to " << token_path.string()
              << " (mode 0600); it is not shown here\n";
  }
  std::cout << "next: fill in each provider's config, run ttbridge config check, reload the "
               "daemon (systemctl reload ttbridged), and give the token to the company for "
               "Teamtailor's activation form (docs/operations.md, \"Adding a tenant\")\n";
  return kExitOk;
}

}  // namespace

void add_tenants_new(Command tenants, Action& action) {
  auto options = std::make_shared<Options>();
  Command command = add_command(
      tenants, "new",
      "write a tenant file with a fresh 256-bit activation token; never overwrites a tenant",
      action, [options] { return [options] { return create(*options); }; });
  command.option("name", options->id, "the tenant id, also the file name (NAME.yaml)")
      .required()
      .check([](const std::string& name) {
        return config::is_valid_name(name)
                   ? std::string()
                   : fmt::format("not a valid tenant id: use {}", config::kNameRule);
      });
  command.option("--provider", options->providers,
                 "a provider of the tenant: NAME (the plugin of that name) or NAME=PLUGIN; "
                 "repeat for several");
  command.option("--company-uuid", options->company_uuid,
                 "pin the tenant to this Teamtailor company (company.uuid)");
  command.option("--connection", options->connection,
                 "the Teamtailor connection of teamtailor.connections the company is on");
  command.option("--token-file", options->token_file,
                 "write the token to this new file (mode 0600) instead of printing it; the "
                 "tenant file then references it");
  add_common_options(command, options->common, /*with_json=*/false);
}

}  // namespace ttb::app::cli
