#include "tenants/tenant_directory.h"

#include "teamtailor/crypto.h"

namespace ttb::tenants {
namespace {

// Through teamtailor's SHA-256, for which OpenSSL looks the algorithm up once: its one-shot
// SHA256() looks it up, under its locks, on every call, and this runs on every webhook.
std::string digest(const std::string& token) {
  return std::string(teamtailor::as_view(teamtailor::sha256(token)));
}

bool same_settings(const config::ProviderSettings& a, const config::ProviderSettings& b) {
  return a.name == b.name && a.plugin == b.plugin && a.plugin_path == b.plugin_path &&
         a.config == b.config && a.enabled == b.enabled && a.isolation == b.isolation &&
         a.isolation_group == b.isolation_group;
}

}  // namespace

struct DirectoryBuilder {
  static void add(TenantDirectory& dir, Tenant tenant) {
    dir.tenants_.push_back(std::move(tenant));
  }
  static void index(TenantDirectory& dir) {
    for (std::size_t i = 0; i < dir.tenants_.size(); ++i) {
      dir.by_id_[dir.tenants_[i].settings.id] = i;
      dir.by_token_digest_[digest(dir.tenants_[i].settings.activation_token.reveal())] = i;
    }
  }
};

const ProviderEntry* Tenant::provider(const std::string& name) const {
  for (const auto& entry : providers) {
    if (entry.settings.name == name) return &entry;
  }
  return nullptr;
}

const Tenant* TenantDirectory::find(const std::string& id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &tenants_[it->second];
}

const Tenant* TenantDirectory::find_by_activation_token(const std::string& token) const {
  if (token.empty()) return nullptr;
  auto it = by_token_digest_.find(digest(token));
  return it == by_token_digest_.end() ? nullptr : &tenants_[it->second];
}

BuildResult build_directory(std::vector<config::TenantSettings> tenants,
                            const ProviderFactory& factory, const TenantDirectory* previous) {
  auto dir = std::make_shared<TenantDirectory>();
  BuildResult result;
  for (auto& settings : tenants) {
    Tenant tenant;
    const Tenant* before = previous ? previous->find(settings.id) : nullptr;
    for (auto& provider : settings.providers) {
      const ProviderEntry* old = before ? before->provider(provider.name) : nullptr;
      if (old && same_settings(old->settings, provider)) {
        tenant.providers.push_back(*old);
        continue;
      }
      if (!provider.enabled) {
        // A disabled provider keeps its place (webhooks for it are refused by name) but loads
        // no plugin instance: its settings may be incomplete while an operator works on them.
        tenant.providers.push_back({std::move(provider), nullptr});
        continue;
      }
      auto made = factory(settings.id, provider);
      if (auto* error = std::get_if<std::string>(&made)) {
        result.errors.push_back("tenant " + settings.id + ", provider " + provider.name + ": " +
                                *error);
        continue;
      }
      tenant.providers.push_back(
          {std::move(provider), std::get<std::shared_ptr<plugins::Provider>>(made)});
    }
    // Each provider's settings now live in its entry only (see Tenant).
    settings.providers.clear();
    settings.providers.shrink_to_fit();
    tenant.settings = std::move(settings);
    DirectoryBuilder::add(*dir, std::move(tenant));
  }
  if (!result.errors.empty()) return result;
  DirectoryBuilder::index(*dir);
  result.directory = std::move(dir);
  return result;
}

}  // namespace ttb::tenants
