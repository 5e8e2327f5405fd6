#include "admin/overview.h"

#include <algorithm>
#include <set>

#include "ops/version.h"

namespace ttb::admin {

using nlohmann::json;

store::Result<json> overview_json(store::Store& store, std::size_t tenant_count,
                                  store::TimePoint now, const Outages& outages) {
  const auto queue = store.queue_stats();
  if (!queue) return queue.error();
  const auto statuses = store.orders_by_status();
  if (!statuses) return statuses.error();
  json oldest_age = nullptr;
  if (queue->oldest_queued_run_at) {
    const auto waited = now - *queue->oldest_queued_run_at;
    // A job queued to run later has not waited at all yet.
    oldest_age =
        std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::seconds>(waited).count());
  }
  json by_status = json::object();
  for (const auto& [status, count] : *statuses) by_status[status] = count;
  return json{{"version", ops::kVersion},
              {"tenants", tenant_count},
              {"queue",
               {{"queued", queue->queued},
                {"running", queue->running},
                {"dead", queue->dead},
                {"oldest_queued_age_s", oldest_age}}},
              {"orders_by_status", std::move(by_status)},
              {"outages", {{"vendors", outages.vendors}, {"teamtailor", outages.teamtailor}}}};
}

json tenants_json(const tenants::TenantDirectory& directory,
                  const std::vector<store::ProviderQueue>& queues, store::TimePoint now,
                  const Outages& outages) {
  const auto queue_of = [&](const std::string& tenant,
                            const std::string& provider) -> const store::ProviderQueue* {
    for (const auto& q : queues) {
      if (q.tenant == tenant && q.provider == provider) return &q;
    }
    return nullptr;
  };
  // A set: in a wide outage a thousand tenants' providers may be down at once.
  const std::set<std::string> vendors_down(outages.vendors.begin(), outages.vendors.end());
  json tenants = json::array();
  for (const tenants::Tenant& tenant : directory.all()) {
    json providers = json::array();
    for (const tenants::ProviderEntry& entry : tenant.providers) {
      const store::ProviderQueue* q = queue_of(tenant.id(), entry.settings.name);
      const std::int64_t queued = q ? q->queued : 0;
      const std::int64_t running = q ? q->running : 0;
      const std::int64_t dead = q ? q->dead : 0;
      const bool stalled =
          q && q->oldest_queued_run_at &&
          now - *q->oldest_queued_run_at >=
              std::chrono::duration_cast<store::TimePoint::duration>(kStalledAfter);
      const bool vendor_down = vendors_down.contains(tenant.id() + "/" + entry.settings.name);
      std::string health = "ok";
      if (!entry.instance || stalled || vendor_down) {
        health = "unavailable";
      } else if (dead > 0) {
        health = "degraded";
      }
      providers.push_back({{"name", entry.settings.name},
                           {"plugin", entry.settings.plugin},
                           {"enabled", entry.settings.enabled},
                           {"health", health},
                           {"vendor_down", vendor_down},
                           {"queued", queued},
                           {"running", running},
                           {"dead", dead}});
    }
    // The tenant files name no display name: the id is what operators know the tenant by.
    tenants.push_back(
        {{"id", tenant.id()}, {"name", tenant.id()}, {"providers", std::move(providers)}});
  }
  return {{"tenants", std::move(tenants)}};
}

}  // namespace ttb::admin
