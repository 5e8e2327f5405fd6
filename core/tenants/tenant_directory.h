#pragma once
// The tenants being served, as one immutable snapshot: each tenant's settings and a live provider
// (plugin instance) for each of its providers. A reload builds a whole new snapshot and swaps it
// in (LiveTenants), so a request sees either the old set or the new one, never a mix.

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "config/settings.h"
#include "plugins/provider.h"

namespace ttb::tenants {

struct ProviderEntry {
  config::ProviderSettings settings;
  std::shared_ptr<plugins::Provider> instance;  // null while the provider is disabled
};

struct Tenant {
  // settings.providers is empty: each provider's settings are moved into its entry in
  // `providers`, so that 2,000 providers are held once, not twice.
  config::TenantSettings settings;
  std::vector<ProviderEntry> providers;

  const std::string& id() const { return settings.id; }
  const ProviderEntry* provider(const std::string& name) const;
};

class TenantDirectory {
 public:
  const Tenant* find(const std::string& id) const;
  // Looks a tenant up by the activation token a company typed in (or its JWT claim). The map is
  // keyed by the token's SHA-256, so no token is compared byte by byte in a data-dependent way.
  const Tenant* find_by_activation_token(const std::string& token) const;
  const std::vector<Tenant>& all() const { return tenants_; }

 private:
  friend struct DirectoryBuilder;
  std::vector<Tenant> tenants_;
  std::unordered_map<std::string, std::size_t> by_id_;
  std::unordered_map<std::string, std::size_t> by_token_digest_;
};

// Creates the provider instance of one provider of one tenant, or explains why it cannot.
using ProviderFactory = std::function<std::variant<std::shared_ptr<plugins::Provider>, std::string>(
    const std::string& tenant, const config::ProviderSettings& provider)>;

struct BuildResult {
  std::shared_ptr<const TenantDirectory> directory;  // null when any provider failed
  std::vector<std::string> errors;                   // "tenant acme, provider checkr: <why>"
};

// Builds a snapshot. Providers whose settings are unchanged since `previous` keep their instance,
// so a reload does not interrupt their in-flight calls.
BuildResult build_directory(std::vector<config::TenantSettings> tenants,
                            const ProviderFactory& factory,
                            const TenantDirectory* previous = nullptr);

class LiveTenants {
 public:
  explicit LiveTenants(std::shared_ptr<const TenantDirectory> initial)
      : current_(std::move(initial)) {}

  std::shared_ptr<const TenantDirectory> current() const {
    std::lock_guard lock(mutex_);
    return current_;
  }
  void replace(std::shared_ptr<const TenantDirectory> next) {
    std::lock_guard lock(mutex_);
    current_.swap(next);
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const TenantDirectory> current_;
};

}  // namespace ttb::tenants
