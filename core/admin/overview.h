#pragma once
// The operator's dashboard reads: the overview (version, tenants, queue, orders by status) and
// each tenant's providers with their health. Built from the store's counts and the tenant set
// being served, at the time of the request.

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/store.h"
#include "tenants/tenant_directory.h"

namespace ttb::admin {

// A provider whose oldest due job has waited this long is "unavailable": its jobs are not being
// run (its plugin hangs, or its limits starve it).
inline constexpr std::chrono::minutes kStalledAfter{10};

// The outages the job runner's breakers hold work for now (jobs/outage_breaker.h): tenants'
// providers whose vendor stopped answering, as "tenant/provider", and Teamtailor connections.
struct Outages {
  std::vector<std::string> vendors;
  std::vector<std::string> teamtailor;
};

// {"version","tenants","queue":{"queued","running","dead","oldest_queued_age_s"},
//  "orders_by_status":{...},"outages":{"vendors":[...],"teamtailor":[...]}}. An error when the
// store cannot be read.
store::Result<nlohmann::json> overview_json(store::Store& store, std::size_t tenant_count,
                                            store::TimePoint now, const Outages& outages = {});

// {"tenants":[{"id","name","providers":[{"name","plugin","enabled","health","vendor_down",
//  "queued","running","dead"}]}]}; health is "ok", "degraded" (it has dead jobs) or "unavailable"
// (disabled, its vendor down: its breaker is open, or its oldest due job waited kStalledAfter).
nlohmann::json tenants_json(const tenants::TenantDirectory& directory,
                            const std::vector<store::ProviderQueue>& queues, store::TimePoint now,
                            const Outages& outages = {});

}  // namespace ttb::admin
