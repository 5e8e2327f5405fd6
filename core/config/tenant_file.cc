#include "config/tenant_file.h"

#include <fmt/format.h>

#include "config/checks.h"
#include "config/document.h"
#include "config/job_settings.h"
#include "config/token_strength.h"
#include "config/values.h"

namespace ttb::config {

std::filesystem::path PluginFiles::path_of(const std::string& plugin) const {
  return dir_ / (plugin + ".so");
}

bool PluginFiles::exists(const std::string& plugin) {
  auto [it, inserted] = known_.try_emplace(plugin, false);
  if (inserted) {
    std::error_code ec;
    it->second = std::filesystem::is_regular_file(path_of(plugin), ec);
  }
  return it->second;
}

namespace {

class TenantReader {
 public:
  TenantReader(Document& doc, const Environment& env, PluginFiles& plugins)
      : doc_(doc), values_(doc, env), plugins_(plugins) {}

  std::optional<TenantFile> read(const YAML::Node& root) {
    const std::size_t problems_before = doc_.problem_count();
    TenantFile out;
    out.settings.file = doc_.file();
    MapView top(doc_, root, YAML::Mark::null_mark(), "",
                {"id", "company_uuid", "activation_token", "teamtailor_connection",
                 "legacy_provider_key", "providers", "retry"});
    if (!top.is_map()) return std::nullopt;

    if (const Entry* e = top.require("id", "id: acme")) {
      if (auto id = values_.text(*e, "a tenant id, e.g. acme")) {
        if (is_valid_name(*id)) {
          out.settings.id = *id;
          out.id_at = doc_.at(e->value_mark());
        } else {
          doc_.report(e->value_mark(), fmt::format("id '{}' is not a valid tenant id; use {}",
                                                   shown(*e), kNameRule));
        }
      }
    }
    if (const Entry* e = top.find("company_uuid")) {
      if (auto uuid =
              values_.text(*e, "the company's uuid from Teamtailor, e.g. \"aB3dE5fG7hJ\"")) {
        if (uuid->empty()) {
          doc_.report(e->value_mark(),
                      "company_uuid is empty; set the company's uuid from "
                      "Teamtailor, or remove the key to accept any company");
        } else {
          out.settings.company_uuid = *uuid;
        }
      }
    }
    if (const Entry* e =
            top.require("activation_token", "activation_token: \"${file:acme.token}\"")) {
      if (auto token = values_.secret(*e)) {
        if (check_token_strength(*e, *token)) {
          out.settings.activation_token = std::move(*token);
          out.token_at = doc_.at(e->value_mark());
        }
      }
    }
    if (const Entry* e = top.find("teamtailor_connection")) {
      if (auto name = values_.text(*e, "the name of a connection in teamtailor.connections")) {
        if (name->empty()) {
          doc_.report(e->value_mark(),
                      "teamtailor_connection is empty; name a connection of "
                      "teamtailor.connections, or remove the key for the default");
        } else {
          out.settings.teamtailor_connection = *name;
          out.connection_at = doc_.at(e->value_mark());
        }
      }
    }
    if (const Entry* e = top.find("legacy_provider_key")) {
      if (auto legacy = values_.boolean(*e)) out.settings.legacy_provider_key = *legacy;
    }
    if (const Entry* e = top.find("providers")) read_providers(*e, out.settings.providers);
    if (const Entry* e = top.find("retry")) {
      MapView retry(doc_, e->value, e->key_node.Mark(), e->path, retry_keys());
      read_retry(doc_, values_, retry, out.settings.retry);
    }

    if (doc_.problem_count() != problems_before) return std::nullopt;
    return out;
  }

 private:
  void read_providers(const Entry& entry, std::vector<ProviderSettings>& providers) {
    if (!entry.value.IsDefined() || entry.value.IsNull()) return;  // "providers:" = none yet
    if (!entry.value.IsSequence()) {
      doc_.report(entry.value_mark(),
                  fmt::format("providers: expected a list of providers (\"- name: ...\"), got {}",
                              describe(entry.value)));
      return;
    }
    std::unordered_map<std::string, int> first_line;  // provider name -> line of first use
    std::size_t index = 0;
    for (const YAML::Node& item : entry.value) {
      const std::string path = fmt::format("providers[{}]", index++);
      if (auto provider = read_provider(item, entry.value.Mark(), path)) {
        auto [it, inserted] = first_line.try_emplace(provider->name, provider->where.line);
        if (!inserted) {
          doc_.report(provider->where,
                      fmt::format("provider name '{}' is already used at line {}; each provider "
                                  "of a tenant needs its own name",
                                  provider->name, it->second));
          continue;
        }
        providers.push_back(std::move(*provider));
      }
    }
  }

  // isolation: process | inproc, and isolation_group (docs/plugin-isolation.md).
  void read_isolation(const MapView& map, const std::string& path, ProviderSettings& out) {
    if (const Entry* e = map.find("isolation")) {
      if (auto mode = values_.text(*e, "process or inproc")) {
        if (*mode == "process") {
          out.isolation = Isolation::process;
        } else if (*mode == "inproc") {
          out.isolation = Isolation::inproc;
        } else {
          doc_.report(e->value_mark(),
                      fmt::format("{}.isolation '{}' is not an isolation mode; use process (the "
                                  "default: the plugin runs in a ttb-plugin-host child) or inproc",
                                  path, shown(*e)));
        }
      }
    }
    if (const Entry* e = map.find("isolation_group")) {
      if (auto group = values_.text(*e, "a group name, e.g. slow")) {
        if (is_valid_name(*group)) {
          out.isolation_group = *group;
        } else {
          doc_.report(e->value_mark(), fmt::format("{}.isolation_group '{}' is not a valid group "
                                                   "name; use {}",
                                                   path, shown(*e), kNameRule));
        }
      }
    }
  }

  std::optional<ProviderSettings> read_provider(const YAML::Node& node, const YAML::Mark& list_mark,
                                                const std::string& path) {
    const std::size_t problems_before = doc_.problem_count();
    const YAML::Mark mark = node.Mark().is_null() ? list_mark : node.Mark();
    if (!node.IsDefined() || node.IsNull()) {
      doc_.report(dash_before(mark), fmt::format("{} is empty; a provider needs at least name and "
                                                 "plugin",
                                                 path));
      return std::nullopt;
    }
    MapView map(doc_, node, mark, path,
                {"name", "plugin", "config", "enabled", "isolation", "isolation_group"});
    if (!map.is_map()) return std::nullopt;
    ProviderSettings out;
    out.where = doc_.at(mark);
    if (const Entry* e = map.require("name", "name: checkr")) {
      if (auto name = values_.text(*e, "a provider name, e.g. checkr")) {
        if (is_valid_name(*name)) {
          out.name = *name;
          out.where = doc_.at(e->value_mark());
        } else {
          doc_.report(e->value_mark(), fmt::format("{}.name '{}' is not a valid provider name; "
                                                   "use {}",
                                                   path, shown(*e), kNameRule));
        }
      }
    }
    if (const Entry* e = map.find("enabled")) {
      if (auto enabled = values_.boolean(*e)) out.enabled = *enabled;
    }
    read_isolation(map, path, out);
    if (const Entry* e = map.require("plugin", "plugin: checkr")) {
      if (auto plugin = values_.text(*e, "a plugin name, e.g. checkr")) {
        if (!is_valid_name(*plugin)) {
          doc_.report(e->value_mark(),
                      fmt::format("{}.plugin '{}' is not a valid plugin name; use the plugin's "
                                  "file name without .so ({})",
                                  path, shown(*e), kNameRule));
        } else {
          out.plugin = *plugin;
          out.plugin_path = plugins_.path_of(*plugin);
          // A disabled provider may name a plugin that is not installed (yet).
          if (out.enabled && !plugins_.exists(*plugin)) {
            doc_.report(e->value_mark(),
                        fmt::format("{}.plugin: plugin file {} does not exist; build or install "
                                    "the plugin, fix plugins.dir in the main config, or set "
                                    "enabled: false",
                                    path, out.plugin_path.string()));
          }
        }
      }
    }
    if (const Entry* e = map.find("config")) {
      if (e->value.IsDefined() && !e->value.IsNull() && !e->value.IsMap()) {
        doc_.report(e->value_mark(), fmt::format("{}: expected a map of the plugin's settings, "
                                                 "got {}",
                                                 e->path, describe(e->value)));
      } else if (auto config = values_.json(e->value, e->path)) {
        out.config = config->is_null() ? nlohmann::json::object() : std::move(*config);
      }
    }
    if (doc_.problem_count() != problems_before) return std::nullopt;
    return out;
  }

  // The token names the tenant to whoever presents it (docs/configuration.md, "Activation
  // tokens"). The message never shows the token, only its measure.
  bool check_token_strength(const Entry& entry, const Secret& token) {
    const std::optional<int> bits = token_bits(token.reveal());
    if (!bits) {
      doc_.report(entry.value_mark(),
                  "activation_token is neither hex nor base64url (it holds other characters); use "
                  "a random token such as `ttbridge tenants new` writes, or `openssl rand -hex "
                  "32`");
      return false;
    }
    if (*bits < kMinTokenBits) {
      doc_.report(entry.value_mark(),
                  fmt::format("activation_token is too short: {} bits, at least {} needed (32 hex "
                              "digits or 22 base64url characters); use a random token such as "
                              "`ttbridge tenants new` writes, or `openssl rand -hex 32`",
                              *bits, kMinTokenBits));
      return false;
    }
    return true;
  }

  // yaml-cpp places an empty list item ("-" alone) at the next token; point at its dash instead.
  SourceRef dash_before(const YAML::Mark& mark) const {
    const std::string& text = doc_.text();
    if (mark.is_null() || mark.pos <= 0) return doc_.at(mark);
    const std::size_t dash = text.rfind('-', std::min<std::size_t>(mark.pos, text.size() - 1));
    return dash == std::string::npos ? doc_.at(mark) : doc_.at_offset(dash);
  }

  Document& doc_;
  ValueReader values_;
  PluginFiles& plugins_;
};

}  // namespace

std::optional<TenantFile> read_tenant_file(const std::filesystem::path& file,
                                           const Environment& env, PluginFiles& plugins,
                                           std::vector<Problem>& problems) {
  std::string error;
  std::optional<std::string> text = read_whole_file(file, error);
  if (!text) {
    problems.push_back(Problem{SourceRef{file.string(), 0, 0},
                               fmt::format("cannot read the tenant file ({}); fix the file, the "
                                           "link to it or its permissions, or remove it",
                                           error)});
    return std::nullopt;
  }
  Document doc(file, std::move(*text), problems);
  std::optional<YAML::Node> root = doc.parse();
  if (!root) return std::nullopt;
  if (!root->IsDefined() || root->IsNull()) {
    doc.report(YAML::Mark::null_mark(),
               "the tenant file is empty; write at least id and activation_token (see "
               "docs/configuration.md), or remove the file");
    return std::nullopt;
  }
  return TenantReader(doc, env, plugins).read(*root);
}

}  // namespace ttb::config
