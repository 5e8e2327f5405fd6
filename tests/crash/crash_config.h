#pragma once
// The daemon's config for a crash run: one tenant with the real checkr plugin pointed at the
// Checkr fake, Teamtailor at its fake, and the store the run names (a SQLite file, or a schema of
// the test PostgreSQL shared by several daemons).

#include <set>
#include <string>

#include "fakes/checkr/fake_checkr.h"
#include "fakes/teamtailor/fake_teamtailor.h"
#include "load.h"
#include "temp_dir.h"

namespace ttb::crash {

inline constexpr const char* kWebhookSecret = "crash-test-webhook-secret";
inline constexpr const char* kActivationToken = "acme-crash-activation-token";

// Writes <dir>/ttbridged.yaml and <dir>/tenants/acme.yaml; returns the config's path.
// `extra_yaml`: more top-level sections (e.g. "jobs: { lease_s: 3 }\n").
std::string write_crash_config(const ttb::testing::TempDir& dir,
                               const fakes::FakeTeamtailor& teamtailor,
                               const fakes::checkr::FakeCheckr& checkr,
                               const std::string& store_url, const std::string& extra_yaml = "");

// What the load of a run on that config sends as: its tenant's webhook secret, activation token,
// test and callback path, with the run's settings, ledger and fakes.
World crash_world(const CrashSettings& settings, Ledger& ledger, VendorView& vendor,
                  fakes::checkr::FakeCheckr& checkr, const fakes::FakeTeamtailor& teamtailor,
                  std::set<std::string>* decided);

}  // namespace ttb::crash
