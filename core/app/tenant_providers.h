#pragma once
// Adapts the live tenant set to the job runner's ProviderDirectory port: a job finds its provider
// in whatever tenant set is current when it runs, so a reload takes effect for queued jobs too.

#include "jobs/ports.h"
#include "tenants/tenant_directory.h"

namespace ttb::app {

class TenantProviders final : public jobs::ProviderDirectory {
 public:
  explicit TenantProviders(tenants::LiveTenants& tenants) : tenants_(tenants) {}

  std::shared_ptr<plugins::Provider> find(const std::string& tenant,
                                          const std::string& provider) override {
    auto directory = tenants_.current();
    const tenants::Tenant* t = directory->find(tenant);
    const tenants::ProviderEntry* p = t ? t->provider(provider) : nullptr;
    return p ? p->instance : nullptr;
  }

 private:
  tenants::LiveTenants& tenants_;
};

}  // namespace ttb::app
