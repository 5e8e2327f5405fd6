#pragma once
// The verdict of a crash run: the invariants of docs/reliability.md, checked from what the
// clients saw (the Ledger), the fakes' records (Checkr's invitations, Teamtailor's writes) and the
// store's final state; a violation is a test failure with a sample of the orders concerned. Then
// the run's totals, as one "[crash]" line. The same for every variant of the test.

#include <chrono>
#include <string>

#include "fakes/checkr/fake_checkr.h"
#include "fakes/teamtailor/fake_teamtailor.h"
#include "ledger.h"
#include "store_snapshot.h"
#include "vendor_view.h"

namespace ttb::crash {

struct FinishedRun {
  const Ledger& ledger;
  VendorView& vendor;
  fakes::checkr::FakeCheckr& checkr;
  const fakes::FakeTeamtailor& teamtailor;
  const StoreSnapshot& snapshot;  // after the drain
  int rounds = 0;
  std::chrono::steady_clock::time_point began;
  std::string label;         // printed first on the totals line ("" or e.g. "postgresql ")
  std::string extra_totals;  // appended to the totals line (e.g. " fenced=3")
};

void check_invariants(const FinishedRun& run);

}  // namespace ttb::crash
